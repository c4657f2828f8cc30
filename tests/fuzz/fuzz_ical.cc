// The iCalendar writer (api/ical.h): TEXT escaping, line folding and the VCALENDAR document,
// fed with arbitrary text for every value.
// Checks, for every input:
//   - ICalText leaves no line break or other control character (tab aside) and no unescaped
//     ; or , and unescaping it gives back the text with its line breaks as \n and its control
//     characters as spaces;
//   - ICalFold makes lines of at most 75 octets ending in CRLF, continuation lines starting with
//     one space, never splitting a UTF-8 sequence of valid UTF-8 input, and unfolding gives back
//     the content line;
//   - the whole document has only CRLF line ends, no line over 75 octets, and read back (unfold,
//     split the properties, unescape the values) gives the calendar that was written: the name,
//     and per event the UID, dates, summary, description, location, URL, categories and TRANSP.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "api/ical.h"

namespace {

using kansli::api::ICalCalendar;
using kansli::api::ICalEvent;
using kansli::api::ICalFold;
using kansli::api::ICalText;
using kansli::api::WriteICalendar;

constexpr std::size_t kMaxOctets = 75;

[[noreturn]] void Fail(const std::string& what, const std::string& detail) {
  std::cerr << "fuzz_ical: " << what << "\n  " << detail << "\n";
  std::abort();
}

// What a TEXT value should read as: line breaks (CRLF, LF, CR) as \n, other control characters
// (tab aside) as spaces.
std::string Expected(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += '\n';
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      out += ' ';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Reads an escaped TEXT value back; nullopt when it is not one (a bare ; or , or control
// character, or a backslash not followed by \ ; , n N).
std::optional<std::string> Unescape(const std::string& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == '\\') {
      if (i + 1 >= v.size()) return std::nullopt;
      const char n = v[++i];
      if (n == '\\' || n == ';' || n == ',')
        out += n;
      else if (n == 'n' || n == 'N')
        out += '\n';
      else
        return std::nullopt;
    } else if (c == ';' || c == ',' || (c < 0x20 && c != '\t') || c == 0x7F) {
      return std::nullopt;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Splits an escaped list value (CATEGORIES) at its unescaped commas.
std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      parts.back() += v.substr(i, 2);
      ++i;
    } else if (v[i] == ',') {
      parts.emplace_back();
    } else {
      parts.back() += v[i];
    }
  }
  return parts;
}

bool ValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0, cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// The physical lines of folded output; fails unless every line ends with CRLF, no CR or LF
// stands alone, and no line is longer than 75 octets.
std::vector<std::string> PhysicalLines(const std::string& out, const std::string& input) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const auto end = out.find("\r\n", start);
    if (end == std::string::npos) Fail("output does not end with CRLF", input);
    std::string line = out.substr(start, end - start);
    if (line.find_first_of("\r\n") != std::string::npos)
      Fail("a bare CR or LF in the output", input);
    if (line.size() > kMaxOctets)
      Fail("a line of " + std::to_string(line.size()) + " octets", input);
    lines.push_back(std::move(line));
    start = end + 2;
  }
  return lines;
}

// Unfolds physical lines into content lines (a line starting with a space continues the one
// before it).
std::vector<std::string> Unfold(const std::vector<std::string>& physical,
                                const std::string& input) {
  std::vector<std::string> content;
  for (const auto& l : physical) {
    if (!l.empty() && l[0] == ' ') {
      if (content.empty()) Fail("the output starts with a continuation line", input);
      content.back() += l.substr(1);
    } else {
      content.push_back(l);
    }
  }
  return content;
}

void CheckText(const std::string& s) {
  const std::string escaped = ICalText(s);
  const auto back = Unescape(escaped);
  if (!back) Fail("ICalText left an unescaped ; , or control character", escaped);
  if (*back != Expected(s)) Fail("ICalText does not read back as the text", escaped);
}

void CheckFold(const std::string& line) {
  const std::string folded = ICalFold(line);
  const auto physical = PhysicalLines(folded, line);
  if (physical.empty()) Fail("ICalFold wrote nothing", line);
  std::string joined = physical[0];
  for (std::size_t i = 1; i < physical.size(); ++i) {
    if (physical[i].size() < 2 || physical[i][0] != ' ')
      Fail("a continuation line does not start with one space and some content", line);
    joined += physical[i].substr(1);
  }
  if (joined != line) Fail("unfolding does not give back the content line", line);
  if (ValidUtf8(line)) {
    for (std::size_t i = 0; i < physical.size(); ++i)
      if (!ValidUtf8(physical[i].substr(i ? 1 : 0))) Fail("folding split a UTF-8 sequence", line);
  }
}

// The next content line of the document, split at the first ':' into name (with parameters)
// and value.
struct Property {
  std::string name, value;
};

class Reader {
 public:
  Reader(std::vector<std::string> lines, std::string doc)
      : lines_(std::move(lines)), doc_(std::move(doc)) {}

  Property Next() {
    if (pos_ >= lines_.size()) Fail("the document ends early", doc_);
    const std::string& l = lines_[pos_++];
    const auto colon = l.find(':');
    if (colon == std::string::npos) Fail("a content line without ':': " + l, doc_);
    return {l.substr(0, colon), l.substr(colon + 1)};
  }
  bool Peek(const std::string& name) const {
    return pos_ < lines_.size() && lines_[pos_].rfind(name + ":", 0) == 0;
  }
  void Expect(const std::string& name, const std::string& value) {
    const Property p = Next();
    if (p.name != name || p.value != value)
      Fail("expected " + name + ":" + value + ", found " + p.name + ":" + p.value, doc_);
  }
  void ExpectText(const std::string& name, const std::string& text) {
    const Property p = Next();
    if (p.name != name) Fail("expected " + name + ", found " + p.name, doc_);
    const auto v = Unescape(p.value);
    if (!v || *v != Expected(text)) Fail(name + " does not read back: " + p.value, doc_);
  }
  bool AtEnd() const { return pos_ == lines_.size(); }
  const std::string& doc() const { return doc_; }

 private:
  std::vector<std::string> lines_;
  std::string doc_;
  std::size_t pos_ = 0;
};

std::string DateValue(const kansli::workflow::Date& d) {
  std::string s = kansli::workflow::FormatDate(d);
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

// Characters a URI may hold (RFC 3986: unreserved, reserved and %).
std::string Uri(FuzzedDataProvider& in) {
  static const std::string kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%";
  std::string s = "https://";
  const std::string raw = in.ConsumeRandomLengthString(120);
  for (char c : raw) s += kChars[static_cast<unsigned char>(c) % kChars.size()];
  return s;
}

void CheckDocument(FuzzedDataProvider& in) {
  ICalCalendar cal;
  cal.name = in.ConsumeRandomLengthString(200);
  // 1970-2100, whole seconds.
  cal.stamp = std::chrono::system_clock::time_point{
      std::chrono::seconds{in.ConsumeIntegralInRange<std::int64_t>(0, 4102444799)}};
  const int events = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < events; ++i) {
    ICalEvent e;
    e.uid = in.ConsumeRandomLengthString(100);
    // Any day of 1900-2999.
    e.date =
        date::year_month_day{date::sys_days{date::days{in.ConsumeIntegralInRange(-25567, 376199)}}};
    e.summary = in.ConsumeRandomLengthString(300);
    e.description = in.ConsumeRandomLengthString(600);
    if (in.ConsumeBool()) e.location = in.ConsumeRandomLengthString(100);
    if (in.ConsumeBool()) e.url = Uri(in);
    const int categories = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < categories; ++k) e.categories.push_back(in.ConsumeRandomLengthString(40));
    e.transparent = in.ConsumeBool();
    cal.events.push_back(std::move(e));
  }
  const std::string doc = WriteICalendar(cal);
  Reader r(Unfold(PhysicalLines(doc, doc), doc), doc);
  r.Expect("BEGIN", "VCALENDAR");
  r.Expect("VERSION", "2.0");
  r.Expect("PRODID", "-//Kansli//Kansli//SV");
  r.Expect("CALSCALE", "GREGORIAN");
  r.Expect("METHOD", "PUBLISH");
  r.ExpectText("X-WR-CALNAME", cal.name);
  r.Expect("X-WR-TIMEZONE", "Europe/Stockholm");
  for (const auto& e : cal.events) {
    r.Expect("BEGIN", "VEVENT");
    r.ExpectText("UID", e.uid);
    const Property stamp = r.Next();
    if (stamp.name != "DTSTAMP" || stamp.value.size() != 16 || stamp.value[8] != 'T' ||
        stamp.value.back() != 'Z')
      Fail("a bad DTSTAMP: " + stamp.value, doc);
    r.Expect("DTSTART;VALUE=DATE", DateValue(e.date));
    r.Expect("DTEND;VALUE=DATE", DateValue(date::sys_days{e.date} + date::days{1}));
    r.ExpectText("SUMMARY", e.summary);
    if (!e.description.empty()) r.ExpectText("DESCRIPTION", e.description);
    if (e.location) r.ExpectText("LOCATION", *e.location);
    if (e.url) r.Expect("URL", *e.url);
    if (!e.categories.empty()) {
      const Property p = r.Next();
      if (p.name != "CATEGORIES") Fail("expected CATEGORIES, found " + p.name, doc);
      const auto parts = SplitList(p.value);
      if (parts.size() != e.categories.size())
        Fail("CATEGORIES has " + std::to_string(parts.size()) + " values, not " +
                 std::to_string(e.categories.size()),
             doc);
      for (std::size_t k = 0; k < parts.size(); ++k) {
        const auto v = Unescape(parts[k]);
        if (!v || *v != Expected(e.categories[k]))
          Fail("a category does not read back: " + parts[k], doc);
      }
    }
    if (e.transparent) r.Expect("TRANSP", "TRANSPARENT");
    if (r.Peek("TRANSP")) Fail("TRANSP on an event that is not transparent", doc);
    r.Expect("END", "VEVENT");
  }
  r.Expect("END", "VCALENDAR");
  if (!r.AtEnd()) Fail("content after END:VCALENDAR", doc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string whole(reinterpret_cast<const char*>(data), size);
  CheckText(whole);
  // A content line holds no line break (ICalText removes them).
  std::string line = whole;
  for (auto& c : line)
    if (c == '\r' || c == '\n') c = ' ';
  CheckFold(line);
  CheckFold(ICalText(whole));
  FuzzedDataProvider in(data, size);
  CheckDocument(in);
  return 0;
}
