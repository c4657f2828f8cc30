#include "api/report_render.h"

#include <sstream>

#include "workflow/clock.h"

namespace kansli::api {

using json = nlohmann::ordered_json;
using workflow::FormatDate;
using workflow::UnansweredMotion;
using workflow::UnansweredMotionsReport;

namespace {

// What readers see instead of a confidential motion's title and texts (as json_codec.cc).
constexpr const char* kRedacted = "Sekretessmarkerat";

json Opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::string TitleOf(const UnansweredMotion& m, bool redact) {
  return redact && m.confidential ? kRedacted : m.title;
}

std::optional<std::string> HandlingText(const UnansweredMotion& m, bool redact) {
  if (!m.last_handling || !m.last_handling->text) return std::nullopt;
  return redact && m.confidential ? std::string(kRedacted) : *m.last_handling->text;
}

// "Kristina Nero (V), Mikael Ekvall (V)"; no parenthesis for a member without a party.
std::string SubmittersText(const UnansweredMotion& m) {
  std::string out;
  for (const auto& s : m.submitters) {
    if (!out.empty()) out += ", ";
    out += s.name;
    if (!s.party.empty() && s.party != "-") out += " (" + s.party + ")";
  }
  return out;
}

json MotionJson(const UnansweredMotion& m, bool redact) {
  json submitters = json::array();
  for (const auto& s : m.submitters) submitters.push_back({{"name", s.name}, {"party", s.party}});
  json last = nullptr;
  if (m.last_handling) {
    const auto& h = *m.last_handling;
    last = {{"date", FormatDate(h.date)},          {"event", h.event},
            {"event_label", h.event_label},        {"organ", Opt(h.organ)},
            {"organ_name", Opt(h.organ_name)},     {"paragraph", Opt(h.paragraph)},
            {"text", Opt(HandlingText(m, redact))}};
  }
  return {{"id", m.id},
          {"reference", m.reference},
          {"title", TitleOf(m, redact)},
          {"confidential", m.confidential},
          {"submitters", submitters},
          {"received", FormatDate(m.received)},
          {"responsible_organ", Opt(m.organ)},
          {"responsible_organ_name", Opt(m.organ_name)},
          {"state", m.state},
          {"state_label", m.state_label},
          {"last_handling", last},
          {"decision_due", FormatDate(m.decision_due)},
          {"days_open", m.days_open},
          {"overdue", m.overdue},
          {"reported", m.reported},
          {"reported_on", m.reported_on ? json(FormatDate(*m.reported_on)) : json(nullptr)}};
}

std::string Csv(const UnansweredMotionsReport& r, bool redact) {
  static const char* kHeader[] = {
      "Ansvarig organ (kod)", "Ansvarig organ", "Diarienummer", "Rubrik",
      "Motionärer",           "Inkom",          "Status",       "Senast handlagd",
      "Handlagd av",          "Paragraf",       "Händelse",     "Text",
      "Beslut senast",        "Dagar öppen",    "Försenad",     "Redovisad",
      "Redovisad datum"};
  std::string out;
  auto row = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(fields[i]);
    }
    out += "\r\n";
  };
  row(std::vector<std::string>(std::begin(kHeader), std::end(kHeader)));
  for (const auto& g : r.groups) {
    for (const auto& m : g.motions) {
      const auto& h = m.last_handling;
      row({m.organ.value_or(""), g.organ_name, m.reference, TitleOf(m, redact), SubmittersText(m),
           FormatDate(m.received), m.state_label, h ? FormatDate(h->date) : "",
           h ? h->organ_name.value_or("") : "", h ? h->paragraph.value_or("") : "",
           h ? h->event_label : "", HandlingText(m, redact).value_or(""),
           FormatDate(m.decision_due), std::to_string(m.days_open), m.overdue ? "ja" : "nej",
           m.reported ? "ja" : "nej", m.reported_on ? FormatDate(*m.reported_on) : ""});
    }
  }
  return out;
}

constexpr const char* kStyle = R"(
body { font-family: "Times New Roman", Georgia, serif; margin: 2em; color: #000; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: 0.3em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; page-break-after: avoid; }
p { max-width: 48em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #777; padding: 0.3em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
tr.overdue td { background: #f4f4f4; }
.submitters, .meta { font-size: 0.9em; }
.mark { font-weight: bold; }
footer { margin-top: 2em; font-size: 0.85em; }
@page { size: A4 landscape; margin: 15mm; }
@media print { body { margin: 0; } }
)";

std::string Html(const UnansweredMotionsReport& r, bool redact) {
  const std::string day = FormatDate(r.as_of);
  const std::string heading = "Redovisning av obesvarade motioner per " + day;
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << HtmlEscape(heading) << "</title>\n<style>" << kStyle << "</style>\n"
    << "</head>\n<body>\n<h1>" << HtmlEscape(heading) << "</h1>\n"
    << "<p>Enligt 5 kap. 35 § kommunallagen (2017:725) bör en motion beredas så att fullmäktige "
       "kan fatta beslut inom ett år från det att den väcktes. Om beredningen inte kan avslutas "
       "inom den tiden ska detta, och vad som har kommit fram vid beredningen, anmälas till "
       "fullmäktige inom samma tid. Fullmäktige får då avskriva motionen från vidare "
       "handläggning.</p>\n"
    << "<p>Här redovisas de motioner som den " << day
    << " hade kommit in men inte var beslutade, avskrivna eller återtagna: <strong>" << r.total
    << "</strong> motioner, varav <strong>" << r.overdue
    << "</strong> har varit obesvarade längre än ett år (markerade <span "
       "class=\"mark\">Försenad</span>).</p>\n";
  if (r.groups.empty()) o << "<p>Det fanns inga obesvarade motioner.</p>\n";
  for (const auto& g : r.groups) {
    o << "<section>\n<h2>" << HtmlEscape(g.organ_name);
    if (g.organ) o << " (" << HtmlEscape(*g.organ) << ")";
    o << "</h2>\n<table>\n<thead><tr><th scope=\"col\">Diarienummer</th>"
         "<th scope=\"col\">Motion</th><th scope=\"col\">Inkom</th><th scope=\"col\">Status</th>"
         "<th scope=\"col\">Senaste handläggning</th><th scope=\"col\">Beslut senast</th>"
         "<th scope=\"col\">Dagar</th><th scope=\"col\">Anmärkning</th></tr></thead>\n<tbody>\n";
    for (const auto& m : g.motions) {
      o << "<tr" << (m.overdue ? " class=\"overdue\"" : "") << "><td>" << HtmlEscape(m.reference)
        << "</td><td>" << HtmlEscape(TitleOf(m, redact));
      const std::string submitters = SubmittersText(m);
      if (!submitters.empty())
        o << "<br><span class=\"submitters\">" << HtmlEscape(submitters) << "</span>";
      o << "</td><td>" << FormatDate(m.received) << "</td><td>" << HtmlEscape(m.state_label)
        << "</td><td>";
      if (m.last_handling) {
        const auto& h = *m.last_handling;
        o << "<span class=\"meta\">" << FormatDate(h.date);
        if (h.organ_name) o << " " << HtmlEscape(*h.organ_name);
        if (h.paragraph) o << " " << HtmlEscape(*h.paragraph);
        o << " – " << HtmlEscape(h.event_label) << "</span>";
        if (const auto text = HandlingText(m, redact)) o << "<br>" << HtmlEscape(*text);
      }
      o << "</td><td>" << FormatDate(m.decision_due) << "</td><td>" << m.days_open << "</td><td>";
      std::string marks;
      if (m.overdue) marks += "<span class=\"mark\">Försenad</span>";
      if (m.reported) {
        if (!marks.empty()) marks += "<br>";
        marks += "Redovisad";
        if (m.reported_on) marks += " " + FormatDate(*m.reported_on);
      }
      o << marks << "</td></tr>\n";
    }
    o << "</tbody>\n</table>\n</section>\n";
  }
  o << "<footer>Sammanställd " << HtmlEscape(workflow::FormatInstant(r.generated_at))
    << " ur Kanslis ärendehistorik.</footer>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "json") return ReportFormat::kJson;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "html") return ReportFormat::kHtml;
  return std::nullopt;
}

std::string CsvField(std::string_view value) {
  std::string v(value);
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

json UnansweredMotionsJson(const UnansweredMotionsReport& r, bool redact) {
  json groups = json::array();
  for (const auto& g : r.groups) {
    json motions = json::array();
    for (const auto& m : g.motions) motions.push_back(MotionJson(m, redact));
    groups.push_back({{"organ", Opt(g.organ)},
                      {"organ_name", g.organ_name},
                      {"total", g.motions.size()},
                      {"motions", motions}});
  }
  return {{"as_of", FormatDate(r.as_of)},
          {"generated_at", workflow::FormatInstant(r.generated_at)},
          {"total", r.total},
          {"overdue", r.overdue},
          {"groups", groups}};
}

RenderedDocument RenderUnansweredMotions(const UnansweredMotionsReport& report, ReportFormat format,
                                         bool redact) {
  RenderedDocument d;
  switch (format) {
    case ReportFormat::kJson:
      d.content_type = "application/json; charset=utf-8";
      d.body = UnansweredMotionsJson(report, redact).dump();
      break;
    case ReportFormat::kCsv:
      d.content_type = "text/csv; charset=utf-8";
      d.filename = "obesvarade-motioner-" + FormatDate(report.as_of) + ".csv";
      d.body = Csv(report, redact);
      break;
    case ReportFormat::kHtml:
      d.content_type = "text/html; charset=utf-8";
      d.body = Html(report, redact);
      break;
  }
  return d;
}

}  // namespace kansli::api
