// The diarienummer parser (workflow/reference.h) on arbitrary text.
// Input: one byte choosing the default prefix, then the text.
// Checks, for every input:
//   - an accepted reference is in range (year 1900-2999, number 1-99999999) and its prefix is
//     the default or 1-16 upper-case letters (A-Z, Å, Ä, Ö);
//   - it formats to a string that parses back to the same reference (normalisation is stable);
//   - upper- or lower-casing the ASCII letters of the text, or surrounding it with blanks,
//     changes nothing (accepted or not, and the value).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "workflow/reference.h"

namespace {

using kansli::workflow::ParseReference;
using kansli::workflow::Reference;

[[noreturn]] void Fail(const std::string& what, const std::string& text) {
  std::cerr << "fuzz_reference: " << what << "\n  input: \"" << text << "\"\n";
  std::abort();
}

bool Same(const std::optional<Reference>& a, const std::optional<Reference>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->prefix == b->prefix && a->year == b->year && a->number == b->number);
}

std::string Describe(const std::optional<Reference>& r) {
  return r ? "\"" + r->ToString() + "\"" : "nothing";
}

// 1-16 letters: A-Z or the UTF-8 upper-case Å (C3 85), Ä (C3 84), Ö (C3 96).
bool ValidPrefix(const std::string& p) {
  int letters = 0;
  for (std::size_t i = 0; i < p.size(); ++letters) {
    if (p[i] >= 'A' && p[i] <= 'Z') {
      ++i;
    } else if (static_cast<unsigned char>(p[i]) == 0xC3 && i + 1 < p.size() &&
               (static_cast<unsigned char>(p[i + 1]) == 0x85 ||
                static_cast<unsigned char>(p[i + 1]) == 0x84 ||
                static_cast<unsigned char>(p[i + 1]) == 0x96)) {
      i += 2;
    } else {
      return false;
    }
  }
  return letters >= 1 && letters <= 16;
}

std::string MapAscii(std::string s, int (*f)(int)) {
  for (auto& c : s)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) c = static_cast<char>(f(c));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kPrefixes[] = {"RJL", "KS", "\xC3\x96K"};  // ÖK
  const std::string default_prefix = kPrefixes[data[0] % 3];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);

  const auto r = ParseReference(text, default_prefix);
  if (r) {
    if (r->year < 1900 || r->year > 2999) Fail("year out of range", text);
    if (r->number < 1 || r->number > 99999999) Fail("number out of range", text);
    if (r->prefix != default_prefix && !ValidPrefix(r->prefix))
      Fail("prefix '" + r->prefix + "' is not 1-16 upper-case letters", text);
    const std::string formatted = r->ToString();
    const auto again = ParseReference(formatted, default_prefix);
    if (!Same(r, again))
      Fail("parsed as " + Describe(r) + " but its formatted form reads as " + Describe(again),
           text);
  }
  const auto upper =
      ParseReference(MapAscii(text, [](int c) { return std::toupper(c); }), default_prefix);
  if (!Same(r, upper))
    Fail("upper-cased it reads as " + Describe(upper) + ", not " + Describe(r), text);
  const auto lower =
      ParseReference(MapAscii(text, [](int c) { return std::tolower(c); }), default_prefix);
  if (!Same(r, lower))
    Fail("lower-cased it reads as " + Describe(lower) + ", not " + Describe(r), text);
  const auto padded = ParseReference(" \t" + text + " \n", default_prefix);
  if (!Same(r, padded))
    Fail("with blanks around it reads as " + Describe(padded) + ", not " + Describe(r), text);
  return 0;
}
