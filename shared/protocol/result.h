// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace netlens::protocol {

/// A value or a human-readable error message — what protocol and transport functions return
/// instead of throwing (C++20 has no std::expected). Error messages are complete sentences
/// meant for the user: they say what is wrong and, where possible, how to fix it.
/// Thread: a plain value type.
template <class T>
class Result {
 public:
  /// Intentionally implicit so that `return value;` works in functions returning Result<T>.
  Result(T value) : m_value(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  static Result failure(std::string error) {
    Result r;
    r.m_error = std::move(error);
    return r;
  }

  bool ok() const { return m_value.has_value(); }
  explicit operator bool() const { return ok(); }
  /// Precondition: ok().
  const T& value() const& { return *m_value; }
  T& value() & { return *m_value; }
  T&& value() && { return std::move(*m_value); }
  const T* operator->() const { return &*m_value; }
  T* operator->() { return &*m_value; }
  const T& operator*() const& { return *m_value; }
  T& operator*() & { return *m_value; }
  /// Empty when ok().
  const std::string& error() const { return m_error; }

 private:
  Result() = default;
  std::optional<T> m_value;
  std::string m_error;
};

/// Success or an error message; for operations that produce no value.
class Status {
 public:
  Status() = default;
  static Status failure(std::string error) {
    Status s;
    s.m_error = std::move(error);
    s.m_failed = true;
    return s;
  }
  bool ok() const { return !m_failed; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return m_error; }

 private:
  std::string m_error;
  bool m_failed = false;
};

}  // namespace netlens::protocol
