#include "workflow/vocabulary.h"

#include <algorithm>
#include <map>
#include <utility>

namespace kansli::workflow {

namespace {

using Key = std::pair<std::string, std::string>;

const std::map<Key, std::string>& StateLabels() {
  static const std::map<Key, std::string> m = {
      {{"motion", "registered"}, "Registrerad"},
      {{"motion", "distributed"}, "Fördelad"},
      {{"motion", "in_preparation"}, "Under beredning"},
      {{"motion", "answered"}, "Besvarad av nämnd"},
      {{"motion", "board_preparation"}, "Beredning i regionstyrelsen"},
      {{"motion", "ready_for_council"}, "Klar för beslut i fullmäktige"},
      {{"motion", "decided"}, "Beslutad"},
      {{"motion", "written_off"}, "Avskriven"},
      {{"motion", "withdrawn"}, "Återtagen"},
      {{"remiss", "registered"}, "Registrerad"},
      {{"remiss", "distributed"}, "Fördelad"},
      {{"remiss", "in_preparation"}, "Under beredning"},
      {{"remiss", "proposal_ready"}, "Förslag till yttrande klart"},
      {{"remiss", "decided"}, "Yttrande beslutat"},
      {{"remiss", "answered"}, "Yttrande skickat"},
      {{"remiss", "declined"}, "Avstår från att yttra sig"},
      {{"remiss", "withdrawn"}, "Återkallad"},
  };
  return m;
}

const std::map<Key, std::string>& EventLabels() {
  static const std::map<Key, std::string> m = {
      {{"motion", "register"}, "Registrering"},
      {{"motion", "announce"}, "Anmälan i fullmäktige"},
      {{"motion", "distribute"}, "Fördelning"},
      {{"motion", "begin_preparation"}, "Beredning påbörjad"},
      {{"motion", "note"}, "Information / medskick"},
      {{"motion", "request_material"}, "Uppdrag om underlag"},
      {{"motion", "material_delivered"}, "Underlag levererat"},
      {{"motion", "request_views"}, "Remittering för synpunkter"},
      {{"motion", "views_delivered"}, "Synpunkter lämnade"},
      {{"motion", "recommend"}, "Förslag till beslut"},
      {{"motion", "adopt_answer"}, "Motionssvar antaget"},
      {{"motion", "board_prepare"}, "Beredning i arbetsutskottet"},
      {{"motion", "board_propose"}, "Regionstyrelsens förslag"},
      {{"motion", "table"}, "Bordläggning"},
      {{"motion", "refer_back"}, "Återremiss"},
      {{"motion", "decide"}, "Beslut i fullmäktige"},
      {{"motion", "report_unanswered"}, "Redovisad som obesvarad (KL 5 kap. 35 §)"},
      {{"motion", "write_off"}, "Avskrivning"},
      {{"motion", "withdraw"}, "Återtagande"},
      {{"remiss", "register"}, "Registrering"},
      {{"remiss", "distribute"}, "Fördelning"},
      {{"remiss", "begin_preparation"}, "Beredning påbörjad"},
      {{"remiss", "note"}, "Anteckning"},
      {{"remiss", "extend_deadline"}, "Förlängd svarstid"},
      {{"remiss", "propose_response"}, "Förslag till yttrande"},
      {{"remiss", "decide_response"}, "Beslut om yttrande"},
      {{"remiss", "send_response"}, "Yttrande skickat"},
      {{"remiss", "decline"}, "Avstår från att yttra sig"},
      {{"remiss", "withdraw"}, "Remissen återkallad"},
  };
  return m;
}

std::string Lookup(const std::map<Key, std::string>& m, const std::string& t,
                   const std::string& code) {
  auto it = m.find({t, code});
  return it == m.end() ? code : it->second;
}

bool In(const std::string& s, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* x) { return s == x; });
}

}  // namespace

std::string StateLabel(const std::string& t, const std::string& s) {
  return Lookup(StateLabels(), t, s);
}
std::string EventLabel(const std::string& t, const std::string& e) {
  return Lookup(EventLabels(), t, e);
}

std::string OutcomeLabel(const std::string& o) {
  if (o == "approved") return "Bifall";
  if (o == "rejected") return "Avslag";
  if (o == "answered") return "Anse besvarad";
  if (o == "partly_approved") return "Delvis bifall";
  return o;
}

std::string CaseTypeLabel(const std::string& t) {
  if (t == "motion") return "Motion";
  if (t == "remiss") return "Remiss";
  return t;
}

std::vector<FieldSpec> EventFields(const std::string& t, const std::string& e) {
  const FieldSpec outcome{"outcome", true,
                          "Förslag eller beslut: approved, rejected, answered, partly_approved"};
  if (t == "motion") {
    if (e == "distribute")
      return {{"to", true, "Ansvarig nämnd (organkod)"},
              {"consult", false, "Organ vars synpunkter ska inhämtas (lista av organkoder)"}};
    if (e == "request_material")
      return {{"assignee", true, "Vem som ska ta fram underlaget (organkod, t.ex. rlk)"},
              {"due", false, "Datum då underlaget ska vara klart"}};
    if (e == "request_views")
      return {{"to", true, "Organ som ska lämna synpunkter"},
              {"due", false, "Datum då synpunkterna ska vara inne"}};
    if (e == "views_delivered") return {{"from", true, "Organ som lämnat synpunkter"}};
    if (e == "recommend" || e == "adopt_answer" || e == "board_propose" || e == "decide")
      return {outcome};
    if (e == "refer_back") return {{"reason", false, "Skäl för återremissen"}};
    return {};
  }
  if (e == "distribute")
    return {{"to", true, "Organ som ska besvara remissen"}, {"officer", false, "Handläggare"}};
  if (e == "extend_deadline")
    return {{"answer_by", true, "Ny svarsdag som avtalats med avsändaren"}};
  if (e == "decide_response")
    return {{"delegation", false, "Punkt i delegationsordningen vid delegationsbeslut"}};
  if (e == "decline") return {{"reason", false, "Skäl"}};
  return {};
}

bool MayRegister(const std::string& role) { return In(role, {"admin", "registrar"}); }

bool MayAdminister(const std::string& role) { return role == "admin"; }

bool MayRecord(const std::string& role, const std::string& t, const std::string& e) {
  // The kansli records every handling on behalf of the organs.
  if (In(role, {"admin", "registrar", "secretary"})) return true;
  if (role == "presidium")
    return In(e, {"distribute", "note", "begin_preparation", "request_material", "request_views",
                  "recommend", "propose_response", "announce"});
  if (role == "officer")
    return In(e, {"note", "begin_preparation", "material_delivered", "views_delivered"}) ||
           (t == "remiss" && e == "propose_response");
  return false;  // reader, and any unknown role
}

}  // namespace kansli::workflow
