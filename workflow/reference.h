// Diarienummer: "RJL 2021/1342" — a prefix, the registration year, a per-year
// sequence. Papers also write "2021/1342" and "Dnr. RJL 2021/1342".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kansli::workflow {

struct Reference {
  std::string prefix;  // "RJL"
  int year = 0;
  long long number = 0;

  std::string ToString() const;  // "RJL 2021/1342"
};

// Parses the three written forms. A missing prefix becomes `default_prefix`
// ("Dnr" is never a prefix, so "Dnr2021/1342" is "2021/1342").
// The prefix is 1-16 letters (A-Z, Å, Ä, Ö, case kept as written, upper-cased);
// year 1900-2999; number 1-99999999. nullopt for anything else.
std::optional<Reference> ParseReference(std::string_view text, const std::string& default_prefix);

}  // namespace kansli::workflow
