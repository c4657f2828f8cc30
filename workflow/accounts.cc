#include "workflow/accounts.h"

#include <algorithm>

#include "workflow/errors.h"
#include "workflow/vocabulary.h"

namespace kansli::workflow {

void ValidateAccount(const Account& a) {
  const auto& u = a.username;
  const bool ok =
      u.size() >= 2 && u.size() <= 64 && std::all_of(u.begin(), u.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  if (!ok)
    throw ValidationError("username",
                          "'username' must be 2-64 characters: a-z, 0-9, '.', '_' or '-'");
  if (a.display_name.empty() || a.display_name.size() > 200)
    throw ValidationError("display_name", "'display_name' must be 1-200 bytes");
  if (std::find(kRoles.begin(), kRoles.end(), a.role) == kRoles.end())
    throw ValidationError(
        "role", "'role' must be admin, registrar, secretary, presidium, officer or reader");
}

void ValidatePassword(const std::string& password) {
  // Characters, not bytes: count UTF-8 lead bytes.
  const auto chars = std::count_if(password.begin(), password.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (chars < kMinPasswordLength)
    throw ValidationError("password", "the password must have at least " +
                                          std::to_string(kMinPasswordLength) + " characters");
  if (password.size() > 1000) throw ValidationError("password", "the password is too long");
}

}  // namespace kansli::workflow
