"""Every Markdown field survives an XSS corpus: no script, event handler or
`javascript:` URL reaches the page that shows it.

The corpus covers script tags, event handlers on many tags, javascript:, vbscript:
and data: URLs (in Markdown links and images, reference links, autolinks and raw
HTML), entity-encoded and mixed-case variants, broken and nested tags (mutation
XSS), SVG and MathML, style and CSS expressions, iframes and srcdoc, meta
refresh, base href, forms and formaction, comments and CDATA, and null bytes and
Unicode whitespace.

Each payload goes through the `markdown` filter, and through the real page of
each field: the pages are drawn once (every payload at once where a page lists
many), then each payload's test reads the findings of its own Markdown block on
every field's page, and a failure names the payload and the fields. A page must
also carry no more active content outside its Markdown blocks than the same
page with harmless text.
"""

from __future__ import annotations

import markdown as markdown_lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.templatetags.coursesite import render_markdown
from tests.coursesite.xss_corpus import CORPUS, active_content, active_content_by_pattern

# --- the checker itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" JaVa&#x09;Script&colon;alert(1)">x</a>',
        '<a href="&#x01;javascript:alert(1)">x</a>',
        '<a href="java\nscript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<img srcset="https://ok.example/a.png 1x, javascript:alert(1) 2x">',
        '<p style="width: e\\78 pression(alert(1))">x</p>',
        '<svg><a xlink:href="vbscript:msgbox(1)">x</a></svg>',
        '<button formaction="javascript:alert(1)">x</button>',
        '<iframe srcdoc="x"></iframe>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        "<!--[if IE]><script>alert(1)</script><![endif]-->",
    ],
)
def test_the_checker_finds_active_content(html):
    assert active_content(html)
    assert active_content_by_pattern(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://ok.example/javascript:alert(1)" rel="noopener">x</a></p>',
        '<p><a href="mailto:a@example.edu" title="javascript:alert(1)">x</a></p>',
        "<p>javascript:alert(1) &lt;script&gt;alert(1)&lt;/script&gt;</p>",
        '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="onerror"></p>',
        '<p><a href="javas\u200bcript:alert(1)">a relative link</a></p>',
        '<p><abbr title="&lt;img src=x onerror=alert(1)&gt;">x</abbr></p>',
    ],
)
def test_the_checker_passes_harmless_html(html):
    assert active_content(html) == []
    assert active_content_by_pattern(html) == []


def test_the_corpus_is_large_and_distinct():
    names = [name for name, _ in CORPUS]
    payloads = [payload for _, payload in CORPUS]
    assert len(CORPUS) >= 100
    assert len(set(names)) == len(names)
    assert len(set(payloads)) == len(payloads)
    # The payloads are hostile: unsanitized, most would run (straight away or once
    # Markdown has made links of them); the rest are text that only looks
    # dangerous, or markup that a careless clean-up could make dangerous.
    hostile = [
        name
        for name, payload in CORPUS
        if active_content(payload) or active_content(markdown_lib.markdown(payload))
    ]
    assert len(hostile) >= 0.8 * len(CORPUS)


# --- the filter -----------------------------------------------------------------------


@pytest.mark.parametrize("payload", [pytest.param(p, id=name) for name, p in CORPUS])
def test_filter_output_has_no_active_content(payload):
    html = render_markdown(payload)
    assert active_content(html) == []
    assert active_content_by_pattern(html) == []


@given(st.lists(st.sampled_from([p for _, p in CORPUS] + ["\n", "\n\n", "**", "[", "]"])))
@settings(max_examples=150, deadline=None)
def test_no_mix_of_payloads_gets_through_the_filter(parts):
    """Payloads one after another: an unclosed tag, comment or reference in one
    must not arm the next."""
    html = render_markdown("".join(parts))
    assert active_content(html) == []
    assert active_content_by_pattern(html) == []
