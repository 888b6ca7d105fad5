#include "net/cipher_buffer.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace impd::net {

void CipherBuffer::append(const char* data, std::size_t size) {
  if (consumed_ > 0) {  // a partial record is left: move it to the front first
    bytes_.erase(0, consumed_);
    consumed_ = 0;
  }
  bytes_.append(data, size);
}

void CipherBuffer::consume(std::size_t size) {
  consumed_ += std::min(size, this->size());
  if (consumed_ == bytes_.size()) {
    bytes_.clear();
    consumed_ = 0;
  }
}

std::string CipherBuffer::take() {
  std::string all = consumed_ == 0 ? std::move(bytes_) : bytes_.substr(consumed_);
  bytes_.clear();
  consumed_ = 0;
  return all;
}

void CipherBuffer::release(std::size_t keep) {
  if (empty() && bytes_.capacity() > keep) std::string().swap(bytes_);
}

namespace {

CipherBuffer& bufferOf(BIO* bio) {
  return *static_cast<CipherBuffer*>(BIO_get_data(bio));
}

int readFromBuffer(BIO* bio, char* out, std::size_t size, std::size_t* read) {
  BIO_clear_retry_flags(bio);
  CipherBuffer& buffer = bufferOf(bio);
  if (buffer.empty()) {
    BIO_set_retry_read(bio);  // SSL_ERROR_WANT_READ: the socket has to bring more
    *read = 0;
    return 0;
  }
  *read = std::min(size, buffer.size());
  std::memcpy(out, buffer.data(), *read);
  buffer.consume(*read);
  return 1;
}

int writeToBuffer(BIO* bio, const char* in, std::size_t size, std::size_t* written) {
  BIO_clear_retry_flags(bio);
  bufferOf(bio).append(in, size);
  *written = size;
  return 1;
}

long control(BIO* bio, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return static_cast<long>(std::min<std::size_t>(bufferOf(bio).size(), LONG_MAX));
    default:  // kernel TLS, duplication, positions: none of them apply
      return 0;
  }
}

int create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int destroy(BIO*) {
  return 1;
}  // the connection owns the buffer

const BIO_METHOD* cipherBioMethod() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "impd cipher buffer");
    BIO_meth_set_read_ex(m, readFromBuffer);
    BIO_meth_set_write_ex(m, writeToBuffer);
    BIO_meth_set_ctrl(m, control);
    BIO_meth_set_create(m, create);
    BIO_meth_set_destroy(m, destroy);
    return m;
  }();
  return method;
}

}  // namespace

BIO* newCipherBio(CipherBuffer& buffer) {
  BIO* bio = BIO_new(cipherBioMethod());
  BIO_set_data(bio, &buffer);
  return bio;
}

}  // namespace impd::net
