#include "workflow/reference.h"

#include <cctype>

namespace kansli::workflow {

std::string Reference::ToString() const {
  return prefix + " " + std::to_string(year) + "/" + std::to_string(number);
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(p[i])))
      return false;
  return true;
}

// Reads digits at the start of s; returns how many (0 if none).
std::size_t Digits(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  return n;
}

}  // namespace

std::optional<Reference> ParseReference(std::string_view text, const std::string& default_prefix) {
  std::string_view s = Trim(text);
  if (StartsWithNoCase(s, "dnr.")) {
    s = Trim(s.substr(4));
  } else if (StartsWithNoCase(s, "dnr ")) {
    s = Trim(s.substr(4));
  }
  Reference ref;
  // An optional prefix: ASCII letters (upper-cased) or the UTF-8 Swedish letters.
  std::size_t i = 0;
  std::string prefix;
  int letters = 0;
  while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != ' ') {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalpha(c)) {
      prefix += static_cast<char>(std::toupper(c));
      ++i;
      ++letters;
    } else if (c == 0xC3 && i + 1 < s.size()) {
      // å ä ö → Å Ä Ö (UTF-8 C3 A5/A4/B6 → C3 85/84/96); upper-case ones kept.
      const unsigned char d = static_cast<unsigned char>(s[i + 1]);
      unsigned char up = d;
      if (d == 0xA5) up = 0x85;
      if (d == 0xA4) up = 0x84;
      if (d == 0xB6) up = 0x96;
      if (up != 0x85 && up != 0x84 && up != 0x96) return std::nullopt;
      prefix += static_cast<char>(c);
      prefix += static_cast<char>(up);
      i += 2;
      ++letters;
    } else {
      return std::nullopt;
    }
  }
  if (letters > 16) return std::nullopt;
  // "Dnr" is the word diarienummer, never a prefix: "Dnr2021/1342", "Dnr. Dnr 2021/1342".
  if (prefix == "DNR") prefix.clear();
  s = Trim(s.substr(i));
  ref.prefix = prefix.empty() ? default_prefix : prefix;
  const std::size_t yd = Digits(s);
  if (yd != 4 || s.size() < 6 || s[4] != '/') return std::nullopt;
  ref.year = std::stoi(std::string(s.substr(0, 4)));
  const std::string_view rest = s.substr(5);
  const std::size_t nd = Digits(rest);
  if (nd == 0 || nd != rest.size() || nd > 8) return std::nullopt;
  ref.number = std::stoll(std::string(rest));
  if (ref.year < 1900 || ref.year > 2999 || ref.number < 1) return std::nullopt;
  return ref;
}

}  // namespace kansli::workflow
