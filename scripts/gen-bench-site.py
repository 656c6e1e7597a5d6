#!/usr/bin/env python3
"""Generates a bilingual benchmark site: N Chinese articles plus N English
translations, for Gazette and (with --hugo) the same content for Hugo.

Usage: scripts/gen-bench-site.py OUT_DIR [--pages N] [--hugo]
"""
import argparse
import os
import shutil

ZH_PARA = ("全市技能人才总量已达527万人，其中高技能人才占比31.7%，保持西部第一。"
           "各区县普遍建立产改领导小组，重点任务逐条落地，改革成效逐步显现。"
           "企业围绕人才培养、评价和激励持续发力，产业工人的获得感不断增强。")
EN_PARA = ("Chongqing now counts 5.27 million skilled workers, 31.7% of them highly "
           "skilled, the highest share in western China. Districts have set up reform "
           "groups and companies keep investing in training, evaluation and pay.")


def body(para, n, lang):
    heading = "## 进展 {}" if lang == "zh" else "## Progress {}"
    parts = [para, "<!-- more -->"]
    for i in range(3):
        parts.append(heading.format(i + 1))
        parts.append((para + "\n\n") * 2)
    parts.append("```rust\nfn main() { let n = %d; }\n```" % n)
    return "\n\n".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=5000, help="articles per language")
    ap.add_argument("--hugo", action="store_true", help="write a Hugo site instead")
    args = ap.parse_args()
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    news = os.path.join(out, "content", "news")
    os.makedirs(news)
    tags = ["产改", "涪陵", "技能人才", "创新工作室", "改革成果"]
    en_tags = ["reform", "fuling", "skills", "studios", "results"]
    for n in range(args.pages):
        day = 1 + n % 28
        date = f"2023-{1 + n % 12:02d}-{day:02d}"
        for lang, para, tag_list, title in (
            ("zh", ZH_PARA, tags, f"产改新闻第{n}篇"),
            ("en", EN_PARA, en_tags, f"Reform news number {n}"),
        ):
            suffix = "" if lang == "zh" else ".en"
            t = tag_list[n % len(tag_list)]
            with open(os.path.join(news, f"article-{n}{suffix}.md"), "w") as f:
                f.write(f"+++\ntitle = \"{title}\"\ndate = {date}\ntags = [\"{t}\"]\n+++\n")
                f.write(body(para, n, lang))
    if args.hugo:
        write_files(out, {
            "content/news/_index.md": "+++\ntitle = \"新闻\"\n+++\n",
            "content/news/_index.en.md": "+++\ntitle = \"News\"\n+++\n",
            "config.toml": 'baseURL = "https://example.org/"\ntitle = "Bench"\n'
                           'defaultContentLanguage = "zh"\npaginate = 10\n'
                           "[markup.highlight]\nnoClasses = false\n"
                           "[languages.zh]\nweight = 1\n[languages.en]\nweight = 2\n",
            "layouts/_default/baseof.html":
                '<!doctype html><html lang="{{ .Language.Lang }}"><head><title>{{ .Title }}</title></head>'
                '<body><nav>{{ range .Translations }}<a href="{{ .Permalink }}">{{ .Language.Lang }}</a>{{ end }}</nav>'
                '{{ block "main" . }}{{ end }}</body></html>\n',
            "layouts/_default/single.html":
                '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .ReadingTime }}</p>'
                '{{ .TableOfContents }}{{ .Content }}</article>{{ end }}\n',
            "layouts/_default/list.html":
                '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}'
                '<h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>{{ .Summary }}{{ end }}{{ end }}\n',
        })
        return
    write_files(out, {
        "content/news/_index.md": "+++\ntitle = \"新闻\"\nsort_by = \"date\"\npaginate_by = 10\n+++\n",
        "content/news/_index.en.md": "+++\ntitle = \"News\"\nsort_by = \"date\"\npaginate_by = 10\n+++\n",
        "config.toml": 'base_url = "https://example.org"\ntitle = "基准"\ndefault_language = "zh"\n'
                       'taxonomies = [{ name = "tags", paginate_by = 10 }]\ngenerate_feeds = true\n'
                       '[languages.en]\ntitle = "Bench"\n',
        "templates/base.html":
            '<!doctype html><html lang="{{ lang }}"><head><title>{% block title %}{{ config.title }}{% endblock title %}</title></head>'
            '<body><nav>{% for alt in alternates %}<a href="{{ alt.permalink }}">{{ alt.lang }}</a>{% endfor %}</nav>'
            '{% block content %}{% endblock content %}</body></html>\n',
        "templates/page.html":
            '{% extends "base.html" %}{% block content %}<article><h1>{{ page.title }}</h1>'
            '<p>{{ page.reading_time }}</p><ol>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ol>'
            '{{ page.content | safe }}</article>{% endblock content %}\n',
        "templates/section.html":
            '{% extends "base.html" %}{% block content %}<h1>{{ section.title }}</h1>'
            '{% for p in paginator.pages | default(value=section.pages) %}<h2><a href="{{ p.permalink }}">{{ p.title }}</a></h2>'
            '{{ p.summary | safe }}{% endfor %}{% endblock content %}\n',
        "templates/index.html":
            '{% extends "base.html" %}{% block content %}<h1>{{ config.title }}</h1>{% endblock content %}\n',
        "templates/taxonomy_list.html":
            '{% extends "base.html" %}{% block content %}{% for t in terms %}<a href="{{ t.permalink }}">{{ t.name }}</a>'
            '{% endfor %}{% endblock content %}\n',
        "templates/taxonomy_single.html":
            '{% extends "base.html" %}{% block content %}<h1>{{ term.name }}</h1>{% for p in paginator.pages | default(value=term.pages) %}'
            '<a href="{{ p.permalink }}">{{ p.title }}</a>{% endfor %}{% endblock content %}\n',
    })


def write_files(root, files):
    """Writes each `relative path: text` of `files` under `root`."""
    for relative, text in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
