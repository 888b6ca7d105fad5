#include "codec/xmpp/caps.h"

#include <algorithm>
#include <set>
#include <vector>

#include "base/base64.h"
#include "codec/xmpp/namespaces.h"
#include "codec/xmpp/scram_crypto.h"

namespace impd::xmpp {

namespace {

constexpr std::string_view kDataForms = "jabber:x:data";

// One extended form as §5.1 step 8 writes it, or nullopt when it has no hidden FORM_TYPE.
std::optional<std::pair<std::string, std::string>> formString(const xml::Element& form) {
  std::string formType;
  std::vector<std::pair<std::string, std::vector<std::string>>> fields;
  for (const xml::Element* field : form.children("field", kDataForms)) {
    std::vector<std::string> values;
    for (const xml::Element* v : field->children("value", kDataForms)) values.push_back(v->text());
    std::sort(values.begin(), values.end());
    if (field->attr("var") == "FORM_TYPE") {
      if (!formType.empty() || values.empty()) return std::nullopt;
      formType = values.front();
      continue;
    }
    fields.emplace_back(std::string(field->attr("var")), std::move(values));
  }
  if (formType.empty()) return std::nullopt;
  std::sort(fields.begin(), fields.end());
  std::string s = formType + "<";
  for (const auto& [var, values] : fields) {
    s += var + "<";
    for (const auto& v : values) s += v + "<";
  }
  return std::make_pair(formType, s);
}

}  // namespace

std::optional<std::string> capsVerification(const xml::Element& query) {
  std::vector<std::string> identities;
  for (const xml::Element* id : query.children("identity", ns::kDiscoInfo)) {
    identities.push_back(std::string(id->attr("category")) + "/" + std::string(id->attr("type")) +
                         "/" + std::string(id->attr("http://www.w3.org/XML/1998/namespace|lang")) + "/" +
                         std::string(id->attr("name")));
  }
  std::vector<std::string> features;
  for (const xml::Element* f : query.children("feature", ns::kDiscoInfo)) {
    features.emplace_back(f->attr("var"));
  }
  for (auto* list : {&identities, &features}) {
    std::sort(list->begin(), list->end());
    if (std::adjacent_find(list->begin(), list->end()) != list->end()) return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> forms;
  for (const xml::Element* form : query.children("x", kDataForms)) {
    auto s = formString(*form);
    if (!s) return std::nullopt;
    forms.push_back(std::move(*s));
  }
  std::sort(forms.begin(), forms.end());
  for (std::size_t i = 1; i < forms.size(); ++i) {
    if (forms[i].first == forms[i - 1].first) return std::nullopt;
  }
  std::string s;
  for (const auto& id : identities) s += id + "<";
  for (const auto& f : features) s += f + "<";
  for (const auto& [type, text] : forms) s += text;
  return base64Encode(detail::digest(ScramHash::kSha1, s));
}

}  // namespace impd::xmpp
