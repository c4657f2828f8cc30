// Small helpers shared by the PostgreSQL adapters: short transactions on a
// pooled connection, instants as bound parameters, and hex text.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "persistence/pool.h"
#include "persistence/translate.h"

namespace kansli::persistence {

// Runs `fn` in a read-only (ReadOnly) or read-write, committed (Write)
// transaction on a pooled connection. A connection that broke is not given
// back to the pool; driver errors are translated (Guarded).
template <typename Fn>
auto ReadOnly(ConnectionPool& pool, Fn&& read) {
  return Guarded([&] {
    auto lease = pool.Acquire();
    try {
      pqxx::read_transaction t(*lease);
      return read(t);
    } catch (const pqxx::broken_connection&) {
      lease.Discard();
      throw;
    }
  });
}

template <typename Fn>
auto Write(ConnectionPool& pool, Fn&& fn) {
  return Guarded([&] {
    auto lease = pool.Acquire();
    try {
      pqxx::work t(*lease);
      auto result = fn(t);
      t.commit();
      return result;
    } catch (const pqxx::broken_connection&) {
      lease.Discard();
      throw;
    }
  });
}

// Instants travel as microseconds since the epoch (a bigint parameter).
inline long long Micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point FromMicros(long long us) {
  return std::chrono::system_clock::time_point(std::chrono::microseconds(us));
}
// The SQL of a timestamptz from bound parameter $n (microseconds).
inline std::string At(int n) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "'epoch'::timestamptz + $%d::bigint * interval '1 microsecond'",
                n);
  return buf;
}

// Lower-case hex of `len` bytes.
inline std::string Hex(const unsigned char* bytes, std::size_t len) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (std::size_t i = 0; i < len; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace kansli::persistence
