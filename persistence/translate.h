// The one place where libpqxx errors become workflow errors.
#pragma once

#include <exception>
#include <string>

#include <pqxx/pqxx>

#include "workflow/errors.h"

namespace kansli::persistence {

// Maps a database error to the workflow hierarchy: unique violations to
// Conflict, timeouts and lost connections to Unavailable, the rest to
// StorageError. Never exposes driver text in the message.
[[noreturn]] void ThrowTranslated(const pqxx::sql_error& e);

// Whether retrying the whole transaction may succeed (serialization failure, deadlock).
bool IsRetryable(const pqxx::sql_error& e);

// Runs `fn`, translating pqxx exceptions; workflow errors pass through.
template <typename Fn>
auto Guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const pqxx::broken_connection&) {
    throw workflow::Unavailable("the database is not reachable");
  } catch (const pqxx::transaction_rollback&) {
    throw workflow::Unavailable("the database was too busy; try again");
  } catch (const pqxx::sql_error& e) {
    ThrowTranslated(e);
  }
}

}  // namespace kansli::persistence
