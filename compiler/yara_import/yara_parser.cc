// The YARA importer's boundary with ANTLR, and the only file of the project
// besides compiler/syntax/parser.cc that includes ANTLR headers. It parses a
// YARA file with the generated parser (SLL first, full LL only when SLL
// fails) and converts the parse tree into IR rules at once.
//
// The bytes of the file are handed to ANTLR one code point per byte (as
// Latin-1), so token positions are byte offsets and files with raw non-UTF-8
// bytes in strings or comments parse as libyara reads them.

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "YaraLexer.h"
#include "YaraParser.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/hex_pattern.h"
#include "compiler/yara_import/yara_reader.h"
#include "compiler/yara_import/yara_values.h"

namespace ward::yara_import {
namespace {

using yara_generated::YaraLexer;
using P = yara_generated::YaraParser;
using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::TerminalNode;
using K = ir::YaraExpr::Kind;

constexpr int kMaxDepth = 200;

// A rule is refused by throwing this from anywhere inside its conversion.
struct Refusal {
  Span span;
  std::string message;
  std::string help;
};

bool IsReserved(std::string_view w) {
  for (std::string_view r : {"when", "condition", "where", "strings", "let", "and", "or", "not",
                             "true", "false", "null"}) {
    if (w == r) return true;
  }
  return false;
}

const std::set<std::string, std::less<>>& Builtins() {
  static const std::set<std::string, std::less<>> kNames = {
      "int8",    "int16",   "int32",    "uint8",    "uint16", "uint32",
      "int16be", "int32be", "uint16be", "uint32be", "int8be", "uint8be"};
  return kNames;
}

class ErrorCollector : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, Token* offending, size_t, size_t,
                   const std::string& message, std::exception_ptr) override {
    if (!first) {
      first = true;
      offset = offending ? offending->getStartIndex() : 0;
      text = message;
    }
  }
  bool first = false;
  size_t offset = 0;
  std::string text;
};

class Converter {
 public:
  Converter(const SourceFile& file, const std::string& package, RuleScope& scope,
            DiagnosticEngine& diags, YaraFile& out)
      : file_(file), package_(package), scope_(scope), diags_(diags), out_(out) {}

  void Run(P::RulesFileContext* tree) {
    for (auto* child : tree->children) {
      if (auto* imp = dynamic_cast<P::ImportDeclContext*>(child)) {
        std::string name = DecodeYaraText(Text(imp->TEXT()));
        out_.modules.push_back(name);
        modules_.insert(name);
      } else if (auto* rule = dynamic_cast<P::RuleDeclContext*>(child)) {
        Rule(rule);
      }
    }
  }

 private:
  // ---- positions and text
  Span SpanOf(antlr4::tree::ParseTree* node) const {
    if (auto* t = dynamic_cast<TerminalNode*>(node)) return SpanOf(t->getSymbol());
    auto* ctx = dynamic_cast<ParserRuleContext*>(node);
    if (ctx == nullptr || ctx->getStart() == nullptr) return {file_.id(), 0, 0};
    uint32_t begin = static_cast<uint32_t>(ctx->getStart()->getStartIndex());
    Token* stop = ctx->getStop() ? ctx->getStop() : ctx->getStart();
    uint32_t end = static_cast<uint32_t>(stop->getStopIndex() + 1);
    return {file_.id(), begin, std::max(begin, end)};
  }
  Span SpanOf(Token* t) const {
    return {file_.id(), static_cast<uint32_t>(t->getStartIndex()),
            static_cast<uint32_t>(t->getStopIndex() + 1)};
  }
  std::string Text(antlr4::tree::ParseTree* node) const {
    Span s = SpanOf(node);
    return std::string(file_.text().substr(s.begin, s.end - s.begin));
  }

  [[noreturn]] void Refuse(antlr4::tree::ParseTree* at, std::string message,
                           std::string help = {}) const {
    throw Refusal{SpanOf(at), std::move(message), std::move(help)};
  }

  // ---- rules
  std::string WardName(const std::string& yara_name) {
    std::string name = IsReserved(yara_name) ? yara_name + "_" : yara_name;
    while (!taken_.insert(name).second) name += "_";
    return name;
  }

  void Rule(P::RuleDeclContext* ctx) {
    YaraRule rule;
    rule.yara_name = Text(ctx->IDENT(0));
    rule.span = SpanOf(ctx->IDENT(0));
    strings_.clear();
    loop_vars_.clear();
    auto detection = std::make_unique<ir::Detection>();
    auto logic = std::make_unique<ir::YaraLogic>();
    try {
      detection->detection_kind = "yara";
      detection->package = package_;
      detection->name = WardName(rule.yara_name);
      detection->span = SpanOf(ctx);
      detection->name_span = rule.span;
      detection->meta.title = rule.yara_name;
      for (auto* m : ctx->ruleModifier()) {
        if (m->PRIVATE()) logic->is_private = true;
        if (m->GLOBAL()) logic->is_global = true;
      }
      for (size_t i = 1; i < ctx->IDENT().size(); ++i) {
        detection->meta.tags.push_back(Text(ctx->IDENT(i)));
      }
      std::vector<std::string> not_kept;
      if (auto* meta = ctx->metaSection()) {
        rule.notes = ApplyMeta(Meta(meta), *detection, not_kept);
      }
      if (auto* strings = ctx->stringsSection()) {
        for (auto* def : strings->stringDef()) logic->strings.push_back(String(def));
      }
      logic->condition = Bool(ctx->conditionSection()->expression(), 0);
      std::set<std::string> used_modules(used_modules_.begin(), used_modules_.end());
      logic->modules.assign(used_modules.begin(), used_modules.end());
      used_modules_.clear();
      if (!not_kept.empty()) {
        std::string keys;
        for (const std::string& k : not_kept) keys += (keys.empty() ? "`" : ", `") + k + "`";
        diags_.Report(
            Diag(DiagCode::kYaraMetaNotKept, rule.span,
                 fmt::format("rule `{}`: meta {} kept only as comments", rule.yara_name, keys))
                .Note("Ward's YARA output writes its own meta fields (docs/yara.md)"));
        ++rule.warnings;
      }
      detection->logic = std::move(logic);
      scope_[rule.yara_name] = detection.get();
      rule.detection = std::move(detection);
    } catch (const Refusal& r) {
      refused_names_.insert(rule.yara_name);
      rule.refused = true;
      rule.reason = r.message;
      DiagBuilder d = Diag(DiagCode::kYaraImportUnsupported, r.span,
                           fmt::format("rule `{}` is not imported: {}", rule.yara_name, r.message));
      if (!r.help.empty()) d.Help(r.help);
      diags_.Report(std::move(d));
      used_modules_.clear();
    }
    out_.rules.push_back(std::move(rule));
  }

  std::vector<MetaField> Meta(P::MetaSectionContext* ctx) {
    std::vector<MetaField> out;
    for (auto* entry : ctx->metaEntry()) {
      MetaField f;
      f.key = Text(entry->IDENT());
      P::MetaValueContext* v = entry->metaValue();
      f.written = Text(v);
      if (v->TEXT()) {
        f.kind = MetaField::Kind::kText;
        f.text = DecodeYaraText(Text(v->TEXT()));
      } else if (v->TRUE() || v->FALSE()) {
        f.kind = MetaField::Kind::kBool;
        f.boolean = v->TRUE() != nullptr;
      } else {
        f.kind = MetaField::Kind::kInteger;
      }
      out.push_back(std::move(f));
    }
    return out;
  }

  // ---- strings
  ir::YaraString String(P::StringDefContext* def) {
    ir::YaraString s;
    std::vector<P::StringModifierContext*> modifiers;
    TerminalNode* id = nullptr;
    if (auto* t = dynamic_cast<P::TextStringContext*>(def)) {
      id = t->STRING_ID();
      s.kind = ir::YaraString::Kind::kText;
      s.text = DecodeYaraText(Text(t->TEXT()));
      modifiers = t->stringModifier();
    } else if (auto* h = dynamic_cast<P::HexStringContext*>(def)) {
      id = h->STRING_ID();
      s.kind = ir::YaraString::Kind::kHex;
      Hex(h->HEX_STRING(), s);
      modifiers = h->stringModifier();
    } else if (auto* r = dynamic_cast<P::RegexStringContext*>(def)) {
      id = r->STRING_ID();
      s.kind = ir::YaraString::Kind::kRegex;
      Regex(Text(r->REGEX()), s.text, s.regex_nocase, s.regex_dotall);
      modifiers = r->stringModifier();
    } else {
      Refuse(def, "a string definition the importer does not understand");
    }
    s.id = Text(id);
    s.span = SpanOf(def);
    if (s.id == "$") {
      // Anonymous strings can only be used through `them` and `$*`; Ward
      // needs unique identifiers, so they get numbered names.
      s.id = fmt::format("$anonymous_{}", ++anonymous_);
    }
    if (!s.id.empty() && s.id.back() == '*') Refuse(id, "a string identifier cannot end in `*`");
    for (auto* m : modifiers) Modifier(m, s.modifiers);
    strings_.push_back(s.id);
    return s;
  }

  static void Regex(const std::string& literal, std::string& body, bool& nocase, bool& dotall) {
    size_t close = literal.rfind('/');
    body = EscapeLiteralBraces(literal.substr(1, close - 1));
    for (char f : literal.substr(close + 1)) {
      if (f == 'i') nocase = true;
      if (f == 's') dotall = true;
    }
  }

  void Hex(TerminalNode* token, ir::YaraString& s) {
    Span span = SpanOf(token);
    std::string_view text = file_.text().substr(span.begin, span.end - span.begin);
    size_t brace = text.find('{');
    DiagnosticEngine local;
    auto items = syntax::ParseHexPattern(text.substr(brace), file_.id(),
                                         span.begin + static_cast<uint32_t>(brace), local);
    if (!items) {
      std::string why = local.Sorted().empty() ? "malformed" : local.Sorted()[0].message;
      Refuse(token, "the hex string cannot be read: " + why);
    }
    for (const ast::HexItem& item : *items) s.hex.push_back(HexItem(item, token));
  }

  ir::HexItem HexItem(const ast::HexItem& in, TerminalNode* at) {
    ir::HexItem out;
    switch (in.kind) {
      case ast::HexItem::Kind::kByte:
        out.kind = ir::HexItem::Kind::kByte;
        out.value = in.value;
        out.mask = in.mask;
        break;
      case ast::HexItem::Kind::kJump:
        out.kind = ir::HexItem::Kind::kJump;
        out.jump_low = in.jump_low;
        out.jump_high = in.jump_high;
        break;
      case ast::HexItem::Kind::kAlternation:
        out.kind = ir::HexItem::Kind::kAlternation;
        for (const auto& alt : in.alternatives) {
          std::vector<ir::HexItem> items;
          for (const ast::HexItem& item : alt) items.push_back(HexItem(item, at));
          out.alternatives.push_back(std::move(items));
        }
        break;
      case ast::HexItem::Kind::kNot:
        Refuse(at, "the NOT byte `~` belongs to YARA 4.3");
    }
    return out;
  }

  int64_t Number(P::NumberContext* ctx) {
    auto v = ParseYaraInteger(Text(ctx));
    if (!v) Refuse(ctx, "a number out of range");
    return *v;
  }

  void Modifier(P::StringModifierContext* m, ir::YaraStringModifiers& out) {
    if (m->NOCASE()) out.nocase = true;
    if (m->WIDE()) out.wide = true;
    if (m->ASCII()) out.ascii = true;
    if (m->FULLWORD()) out.fullword = true;
    if (m->PRIVATE()) out.is_private = true;
    if (m->XOR()) {
      out.xor_ = true;
      auto numbers = m->number();
      if (numbers.size() == 1) {
        int64_t k = Number(numbers[0]);
        out.xor_range = std::pair<int, int>(static_cast<int>(k), static_cast<int>(k));
      } else if (numbers.size() == 2) {
        out.xor_range = std::pair<int, int>(static_cast<int>(Number(numbers[0])),
                                            static_cast<int>(Number(numbers[1])));
      }
    }
    if (m->BASE64() || m->BASE64WIDE()) {
      if (m->BASE64()) out.base64 = true;
      if (m->BASE64WIDE()) out.base64wide = true;
      if (m->TEXT()) out.base64_alphabet = DecodeYaraText(Text(m->TEXT()));
    }
  }

  // ---- conditions
  ir::YaraExprPtr Make(K kind, antlr4::tree::ParseTree* at) {
    auto e = std::make_unique<ir::YaraExpr>();
    e->kind = kind;
    e->span = SpanOf(at);
    return e;
  }

  void Deeper(int depth, antlr4::tree::ParseTree* at) {
    if (depth > kMaxDepth)
      Refuse(at, fmt::format("the condition nests more than {} deep", kMaxDepth));
  }

  // Flattens `a and b and c` into one node, as Ward's frontend does.
  void Flatten(P::ExpressionContext* e, bool is_and, int depth, ir::YaraExpr& out) {
    if (is_and) {
      if (auto* a = dynamic_cast<P::AndExprContext*>(e)) {
        Flatten(a->expression(0), true, depth + 1, out);
        Flatten(a->expression(1), true, depth + 1, out);
        return;
      }
    } else if (auto* o = dynamic_cast<P::OrExprContext*>(e)) {
      Flatten(o->expression(0), false, depth + 1, out);
      Flatten(o->expression(1), false, depth + 1, out);
      return;
    }
    out.children.push_back(Bool(e, depth + 1));
  }

  ir::YaraExprPtr Bool(P::ExpressionContext* e, int depth) {
    Deeper(depth, e);
    if (auto* b = dynamic_cast<P::BoolLiteralContext*>(e)) {
      auto out = Make(K::kBool, b);
      out->boolean = b->TRUE() != nullptr;
      return out;
    }
    if (auto* s = dynamic_cast<P::StringMatchContext*>(e)) {
      auto out = Make(K::kStringMatch, s);
      out->string_id = StringRef(s->STRING_ID(), '$');
      if (s->AT()) out->children.push_back(Value(s->primary(), depth + 1));
      if (s->IN()) RangeOf(s->range(), *out, depth);
      return out;
    }
    if (auto* f = dynamic_cast<P::ForOfContext*>(e)) {
      auto out = Make(K::kForOf, f);
      Quantifier(f->quantifier(), *out, depth);
      StringSet(f->stringSet(), *out);
      ++for_of_;
      out->body = Bool(f->expression(), depth + 1);
      --for_of_;
      return out;
    }
    if (auto* f = dynamic_cast<P::ForInContext*>(e)) {
      auto out = Make(K::kForIn, f);
      Quantifier(f->quantifier(), *out, depth);
      for (auto* var : f->IDENT()) out->vars.push_back(Text(var));
      P::IterableContext* it = f->iterable();
      if (auto* r = dynamic_cast<P::RangeIterableContext*>(it)) {
        out->iter_is_range = true;
        RangeOf(r->range(), *out, depth);
      } else if (auto* l = dynamic_cast<P::ListIterableContext*>(it)) {
        for (auto* item : l->primary()) out->iter_items.push_back(Value(item, depth + 1));
      } else if (auto* x = dynamic_cast<P::ExprIterableContext*>(it)) {
        out->iter_is_expr = true;
        out->iter_items.push_back(Value(x->primary(), depth + 1));
      }
      for (const std::string& v : out->vars) loop_vars_.push_back(v);
      out->body = Bool(f->expression(), depth + 1);
      loop_vars_.resize(loop_vars_.size() - out->vars.size());
      return out;
    }
    if (auto* o = dynamic_cast<P::OfExprContext*>(e)) {
      auto out = Make(K::kOf, o);
      Quantifier(o->quantifier(), *out, depth);
      if (o->stringSet()) {
        StringSet(o->stringSet(), *out);
      } else {
        RuleSet(o->ruleSet(), *out);
      }
      if (o->IN()) RangeOf(o->range(), *out, depth);
      return out;
    }
    if (auto* c = dynamic_cast<P::ComparisonContext*>(e)) {
      auto out = Make(K::kBinary, c);
      out->op = c->op->getText();
      out->children.push_back(Value(c->primary(0), depth + 1));
      out->children.push_back(Value(c->primary(1), depth + 1));
      return out;
    }
    if (auto* p = dynamic_cast<P::ParenExprContext*>(e)) return Bool(p->expression(), depth + 1);
    if (auto* p = dynamic_cast<P::PrimaryBoolContext*>(e)) return Value(p->primary(), depth + 1);
    if (auto* n = dynamic_cast<P::NotExprContext*>(e)) {
      auto out = Make(K::kNot, n);
      out->children.push_back(Bool(n->expression(), depth + 1));
      return out;
    }
    if (auto* d = dynamic_cast<P::DefinedExprContext*>(e)) {
      auto out = Make(K::kDefined, d);
      out->children.push_back(Bool(d->expression(), depth + 1));
      return out;
    }
    if (dynamic_cast<P::AndExprContext*>(e) || dynamic_cast<P::OrExprContext*>(e)) {
      const bool is_and = dynamic_cast<P::AndExprContext*>(e) != nullptr;
      auto out = Make(is_and ? K::kAnd : K::kOr, e);
      Flatten(e, is_and, depth, *out);
      return out;
    }
    Refuse(e, "a condition the importer does not understand");
  }

  std::string StringRef(TerminalNode* token, char sigil) {
    std::string text = Text(token);
    std::string rest = text.substr(1);
    if (rest.empty()) {
      if (for_of_ == 0) Refuse(token, fmt::format("`{}` outside `for ... of`", sigil));
      return "";
    }
    std::string id = "$" + rest;
    if (std::find(strings_.begin(), strings_.end(), id) == strings_.end()) {
      Refuse(token, fmt::format("`{}` names no string of the rule", text));
    }
    return id;
  }

  void RangeOf(P::RangeContext* r, ir::YaraExpr& out, int depth) {
    out.range_low = Value(r->primary(0), depth + 1);
    out.range_high = Value(r->primary(1), depth + 1);
  }

  void Quantifier(P::QuantifierContext* q, ir::YaraExpr& out, int depth) {
    (void)depth;
    if (q->ALL()) {
      out.quant = ir::YaraExpr::Quant::kAll;
    } else if (q->ANY()) {
      out.quant = ir::YaraExpr::Quant::kAny;
    } else if (q->NONE()) {
      out.quant = ir::YaraExpr::Quant::kNone;
    } else {
      auto* literal = dynamic_cast<P::IntPrimaryContext*>(q->primary());
      std::optional<int64_t> value;
      if (literal) value = ParseYaraInteger(Text(literal));
      if (!value) {
        Refuse(q, "a quantifier that is computed rather than a number",
               "Ward quantifiers are `all`, `any`, `none`, a number or a percentage");
      }
      out.quant = q->PERCENT() ? ir::YaraExpr::Quant::kPercent : ir::YaraExpr::Quant::kCount;
      out.quant_value = *value;
    }
  }

  void StringSet(P::StringSetContext* s, ir::YaraExpr& out) {
    if (s->THEM()) {
      if (strings_.empty()) Refuse(s, "`them` in a rule without strings");
      out.them = true;
      return;
    }
    for (auto* item : s->stringSetItem()) {
      std::string text = Text(item);
      if (text == "$*") {
        out.set.push_back("$*");
        continue;
      }
      if (text.back() == '*') {
        std::string prefix = text.substr(0, text.size() - 1);
        bool any = std::any_of(strings_.begin(), strings_.end(),
                               [&](const std::string& id) { return id.starts_with(prefix); });
        if (!any) Refuse(item, fmt::format("`{}` matches no string of the rule", text));
      } else if (std::find(strings_.begin(), strings_.end(), text) == strings_.end()) {
        Refuse(item, fmt::format("`{}` names no string of the rule", text));
      }
      out.set.push_back(text);
    }
  }

  void RuleSet(P::RuleSetContext* s, ir::YaraExpr& out) {
    out.of_rules = true;
    for (auto* item : s->ruleSetItem()) {
      std::string name = Text(item->IDENT());
      if (item->STAR()) {
        // Ward patterns name Ward rules of the same package, which keep
        // their YARA names; rules of other packages would not match.
        bool any = false;
        for (const auto& [yara_name, rule] : scope_) {
          if (!yara_name.starts_with(name)) continue;
          any = true;
          if (rule->package != package_) {
            Refuse(item, fmt::format("`{}*` matches rules of an included file", name),
                   "list the rules by name");
          }
          out.rule_set.push_back(rule);
        }
        if (!any) Refuse(item, fmt::format("`{}*` matches no rule", name));
        out.set.push_back(name + "*");
        continue;
      }
      auto it = scope_.find(name);
      if (it == scope_.end()) Refuse(item, fmt::format("`{}` names no rule read before", name));
      out.set.push_back(it->second->name);
      out.rule_set.push_back(it->second);
    }
  }

  ir::YaraExprPtr Value(P::PrimaryContext* p, int depth) {
    Deeper(depth, p);
    if (auto* x = dynamic_cast<P::ParenPrimaryContext*>(p)) return Value(x->primary(), depth + 1);
    if (auto* m = dynamic_cast<P::MemberPrimaryContext*>(p)) {
      auto out = Make(K::kMember, m);
      out->text = Text(m->IDENT());
      out->children.push_back(Value(m->primary(), depth + 1, /*callee_or_base=*/true));
      return out;
    }
    if (auto* i = dynamic_cast<P::IndexPrimaryContext*>(p)) {
      auto out = Make(K::kIndex, i);
      out->children.push_back(Value(i->primary(0), depth + 1, true));
      out->children.push_back(Value(i->primary(1), depth + 1));
      return out;
    }
    if (auto* c = dynamic_cast<P::CallPrimaryContext*>(p)) {
      auto out = Make(K::kCall, c);
      auto* ident = dynamic_cast<P::IdentPrimaryContext*>(c->primary());
      std::string name = ident ? Text(ident->IDENT()) : "";
      if (ident && Builtins().count(name) &&
          std::find(loop_vars_.begin(), loop_vars_.end(), name) == loop_vars_.end()) {
        out->text = name;
      } else {
        out->children.push_back(Value(c->primary(), depth + 1, true));
      }
      for (auto* arg : c->argument()) out->children.push_back(Bool(arg->expression(), depth + 1));
      return out;
    }
    if (auto* u = dynamic_cast<P::UnaryPrimaryContext*>(p)) {
      auto out = Make(K::kUnary, u);
      out->op = u->op->getText();
      out->children.push_back(Value(u->primary(), depth + 1));
      return out;
    }
    if (auto* b = dynamic_cast<P::BinaryPrimaryContext*>(p)) {
      auto out = Make(K::kBinary, b);
      out->op = b->op->getText();
      out->children.push_back(Value(b->primary(0), depth + 1));
      out->children.push_back(Value(b->primary(1), depth + 1));
      return out;
    }
    if (auto* n = dynamic_cast<P::IntPrimaryContext*>(p)) {
      auto v = ParseYaraInteger(Text(n));
      if (!v) Refuse(n, "an integer out of range");
      auto out = Make(K::kInteger, n);
      out->integer = *v;
      return out;
    }
    if (auto* f = dynamic_cast<P::FloatPrimaryContext*>(p)) {
      auto out = Make(K::kFloat, f);
      out->real = std::strtod(Text(f).c_str(), nullptr);
      return out;
    }
    if (auto* t = dynamic_cast<P::TextPrimaryContext*>(p)) {
      auto out = Make(K::kText, t);
      out->text = DecodeYaraText(Text(t));
      return out;
    }
    if (auto* r = dynamic_cast<P::RegexPrimaryContext*>(p)) {
      auto out = Make(K::kRegex, r);
      Regex(Text(r), out->text, out->regex_nocase, out->regex_dotall);
      return out;
    }
    if (dynamic_cast<P::FilesizePrimaryContext*>(p)) return Make(K::kFilesize, p);
    if (dynamic_cast<P::EntrypointPrimaryContext*>(p)) return Make(K::kEntrypoint, p);
    if (auto* c = dynamic_cast<P::CountPrimaryContext*>(p)) {
      auto out = Make(K::kStringCount, c);
      out->string_id = StringRef(c->COUNT_ID(), '#');
      if (c->IN()) RangeOf(c->range(), *out, depth);
      return out;
    }
    if (auto* o = dynamic_cast<P::OffsetPrimaryContext*>(p)) {
      auto out = Make(K::kStringOffset, o);
      out->string_id = StringRef(o->OFFSET_ID(), '@');
      if (o->primary()) out->children.push_back(Value(o->primary(), depth + 1));
      return out;
    }
    if (auto* l = dynamic_cast<P::LengthPrimaryContext*>(p)) {
      auto out = Make(K::kStringLength, l);
      out->string_id = StringRef(l->LENGTH_ID(), '!');
      if (l->primary()) out->children.push_back(Value(l->primary(), depth + 1));
      return out;
    }
    if (auto* id = dynamic_cast<P::IdentPrimaryContext*>(p)) return Identifier(id, false);
    Refuse(p, "an expression the importer does not understand");
  }

  ir::YaraExprPtr Value(P::PrimaryContext* p, int depth, bool base) {
    if (auto* id = dynamic_cast<P::IdentPrimaryContext*>(p)) return Identifier(id, base);
    return Value(p, depth);
  }

  ir::YaraExprPtr Identifier(P::IdentPrimaryContext* id, bool base) {
    std::string name = Text(id->IDENT());
    if (std::find(loop_vars_.begin(), loop_vars_.end(), name) != loop_vars_.end()) {
      auto out = Make(K::kLoopVar, id);
      out->text = name;
      return out;
    }
    if (modules_.count(name)) {
      auto out = Make(K::kModule, id);
      out->text = name;
      used_modules_.push_back(name);
      return out;
    }
    auto it = scope_.find(name);
    if (it != scope_.end() && !base) {
      auto out = Make(K::kRuleRef, id);
      out->rule = it->second;
      out->text = it->second->name;
      return out;
    }
    if (refused_names_.count(name)) {
      Refuse(id, fmt::format("it uses rule `{}`, which is not imported", name));
    }
    Refuse(id,
           fmt::format("`{}` is neither an imported module, a loop variable nor a rule "
                       "defined before",
                       name),
           "external variables (as LOKI and THOR define) have no Ward equivalent");
  }

  const SourceFile& file_;
  const std::string& package_;
  RuleScope& scope_;
  DiagnosticEngine& diags_;
  YaraFile& out_;
  std::set<std::string, std::less<>> modules_;
  std::vector<std::string> used_modules_;
  std::set<std::string> taken_;
  std::set<std::string> refused_names_;
  std::vector<std::string> strings_;
  std::vector<std::string> loop_vars_;
  int for_of_ = 0;
  int anonymous_ = 0;
};

// Byte i of the file becomes code point i (Latin-1), as UTF-8 for ANTLR.
std::string AsLatin1Utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
  return out;
}

bool Parse(const SourceFile& file, const std::string& package, RuleScope& scope,
           DiagnosticEngine& diags, YaraFile& out) {
  std::string converted = AsLatin1Utf8(file.text());
  antlr4::ANTLRInputStream input(converted);
  YaraLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  int depth = 0;
  for (Token* t : tokens.getTokens()) {
    if (t->getType() == YaraLexer::LPAREN) ++depth;
    if (t->getType() == YaraLexer::RPAREN) --depth;
    if (depth > kMaxDepth) {
      Span at{file.id(), static_cast<uint32_t>(t->getStartIndex()),
              static_cast<uint32_t>(t->getStartIndex() + 1)};
      diags.Report(Diag(DiagCode::kYaraImportSyntax, at,
                        fmt::format("parentheses nest more than {} deep", kMaxDepth))
                       .Help("simplify the condition"));
      return false;
    }
  }
  P parser(&tokens);
  parser.removeErrorListeners();
  auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::RulesFileContext* tree = nullptr;
  try {
    tree = parser.rulesFile();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  if (tree == nullptr) {
    tokens.seek(0);
    parser.reset();
    interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    ErrorCollector errors;
    parser.addErrorListener(&errors);
    tree = parser.rulesFile();
    if (errors.first) {
      uint32_t at = static_cast<uint32_t>(std::min(errors.offset, file.text().size()));
      diags.Report(Diag(DiagCode::kYaraImportSyntax, Span{file.id(), at, at + 1},
                        "the importer cannot read this YARA file: " + errors.text)
                       .Note("libyara accepts the file; this is a gap in Ward's YARA grammar")
                       .Help("please report the file; no rule of it was imported"));
      return false;
    }
  }
  Converter(file, package, scope, diags, out).Run(tree);
  return true;
}

}  // namespace

bool ReadYaraFile(const SourceFile& file, const std::string& package, RuleScope& scope,
                  DiagnosticEngine& diags, YaraFile& out) {
  out.file = file.id();
  out.package = package;
  try {
    return Parse(file, package, scope, diags, out);
  } catch (const std::exception& e) {
    diags.Report(Diag(DiagCode::kInternalError, Span{file.id(), 0, 0},
                      std::string("internal error while reading YARA: ") + e.what())
                     .Help("please report this bug together with the file"));
  }
  return false;
}

std::vector<std::pair<std::string, Span>> ListIncludes(const SourceFile& file) {
  std::vector<std::pair<std::string, Span>> out;
  std::string_view text = file.text();
  size_t pos = 0;
  while ((pos = text.find("include", pos)) != std::string_view::npos) {
    size_t line_start = text.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    bool at_line_start = text.substr(line_start, pos - line_start).find_first_not_of(" \t") ==
                         std::string_view::npos;
    size_t q1 = text.find_first_not_of(" \t", pos + 7);
    if (at_line_start && q1 != std::string_view::npos && q1 > pos + 7 && text[q1] == '"') {
      size_t q2 = text.find('"', q1 + 1);
      if (q2 != std::string_view::npos) {
        out.emplace_back(
            std::string(text.substr(q1 + 1, q2 - q1 - 1)),
            Span{file.id(), static_cast<uint32_t>(pos), static_cast<uint32_t>(q2 + 1)});
        pos = q2;
      }
    }
    pos += 7;
  }
  return out;
}

}  // namespace ward::yara_import
