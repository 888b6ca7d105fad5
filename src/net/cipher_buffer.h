#pragma once
// Ciphertext on its way between OpenSSL and a socket, kept by the connection itself, and the
// BIO through which OpenSSL reads and writes it.
//
// OpenSSL's own memory BIO answers every question (how much is pending, where the bytes are,
// how large its buffer has grown) through BIO_ctrl, and copies into a BUF_MEM of its own. A
// presence fan-out pays that on every record: about 6% of impd's CPU went to the memory BIO.
// Here the connection looks at the bytes directly, sends them from where OpenSSL put them, and
// OpenSSL's only calls are the read, the write and a flush.
#include <openssl/bio.h>

#include <cstddef>
#include <string>

namespace impd::net {

class CipherBuffer {
 public:
  bool empty() const { return bytes_.size() == consumed_; }
  std::size_t size() const { return bytes_.size() - consumed_; }
  const char* data() const { return bytes_.data() + consumed_; }
  std::size_t capacity() const { return bytes_.capacity(); }

  void append(const char* data, std::size_t size);
  // Drops `size` bytes from the front (read by OpenSSL, or sent); an emptied buffer keeps its
  // allocation for the next record.
  void consume(std::size_t size);
  // Hands over every byte, leaving the buffer empty.
  std::string take();
  // Frees the allocation of an empty buffer that grew beyond `keep` bytes (a handshake, a
  // burst of stanzas).
  void release(std::size_t keep);

 private:
  std::string bytes_;
  std::size_t consumed_ = 0;
};

// A BIO over `buffer`: OpenSSL's reads take from its front and its writes append to it. The
// buffer must outlive the BIO (SSL_free frees the BIO, not the buffer).
BIO* newCipherBio(CipherBuffer& buffer);

}  // namespace impd::net
