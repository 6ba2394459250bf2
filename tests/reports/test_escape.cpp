// Escaping for HTML and Markdown, and formula neutralisation for CSV/XLSX.
#include <calibra/reports/escape.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace calibra::reports;

TEST_CASE("escape_html turns markup into text", "[reports][escape]") {
  CHECK(escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape_html("a & b") == "a &amp; b");
  CHECK(escape_html("\"quoted\" 'single'") == "&quot;quoted&quot; &#39;single&#39;");
  CHECK(escape_html("&lt;") == "&amp;lt;");  // no double meaning: an entity in the input shows literally
  CHECK(escape_html("x\" onload=\"alert(1)") == "x&quot; onload=&quot;alert(1)");
  CHECK(escape_html("Product Vision & Roadmapping") == "Product Vision &amp; Roadmapping");
  CHECK(escape_html("naïve → café") == "naïve → café");  // UTF-8 passes through
  CHECK(escape_html(std::string("a\0b\x01" "c\td\ne", 9)) == "abc\td\ne");
}

TEST_CASE("formula triggers are neutralised with a leading apostrophe", "[reports][escape]") {
  // OWASP "CSV Injection": cells starting with = + - @ tab or CR.
  for (const std::string trigger : {"=", "+", "-", "@", "\t", "\r"}) {
    const std::string text = trigger + "1+1";
    INFO("trigger " << static_cast<int>(trigger[0]));
    CHECK(starts_like_formula(text));
    CHECK(neutralise_formula(text) == "'" + text);
  }
  CHECK(neutralise_formula("=HYPERLINK(\"http://x\",\"y\")") == "'=HYPERLINK(\"http://x\",\"y\")");
  CHECK(neutralise_formula("  =1+1") == "'  =1+1");  // importers may strip the spaces
  CHECK(neutralise_formula("Product Delivery") == "Product Delivery");
  CHECK(neutralise_formula("a=b") == "a=b");
  CHECK(neutralise_formula("") == "");
  CHECK(neutralise_formula("   ") == "   ");
  CHECK(neutralise_formula("'=already") == "'=already");
}

TEST_CASE("csv_field quotes what needs quoting and neutralises formulas", "[reports][escape]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field(" padded ") == "\" padded \"");
  CHECK(csv_field("=1+2") == "\"'=1+2\"");
  CHECK(csv_field("=SUM(A1,A2)") == "\"'=SUM(A1,A2)\"");
  CHECK(csv_field("-5") == "\"'-5\"");
  CHECK(csv_field("") == "");
}

TEST_CASE("escape_markdown keeps text literal in CommonMark", "[reports][escape]") {
  CHECK(escape_markdown("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>");
  CHECK(escape_markdown("a|b") == "a\\|b");
  CHECK(escape_markdown("*bold* _it_ `code` [link](x)") == "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)");
  CHECK(escape_markdown("R&D and &amp;") == "R&amp;D and &amp;amp;");  // renders "R&D and &amp;"
  CHECK(escape_markdown("Vision & Roadmapping") == "Vision & Roadmapping");
  CHECK(escape_markdown("line\nbreak") == "line break");
  CHECK(escape_markdown("![img](x)") == "\\!\\[img\\](x)");
}
