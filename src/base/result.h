#pragma once
// Result<T>: the error channel of the data path. Exceptions never cross the event loop;
// anything caused by untrusted input comes back as an Error the caller turns into the
// protocol's own error.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace impd {

struct Error {
  // A short machine-readable condition, e.g. "not-well-formed", "policy-violation",
  // "jid-malformed", "not-authorized". Protocol layers map it to their own vocabulary.
  std::string condition;
  // Human-readable detail for logs and error text.
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error makeError(std::string condition, std::string message = {}) {
  return Error{std::move(condition), std::move(message)};
}

}  // namespace impd
