import highlighter from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import { Marked } from 'marked';
import { getHeadingList, gfmHeadingId } from 'marked-gfm-heading-id';
import { markedHighlight } from 'marked-highlight';
import { escapeHtml } from './escape-html.js';

highlighter.registerLanguage('bash', bash);
highlighter.registerAliases(['sh', 'shell'], { languageName: 'bash' });
highlighter.registerLanguage('javascript', javascript);
highlighter.registerLanguage('typescript', typescript);
highlighter.registerLanguage('json', json);
highlighter.registerLanguage('python', python);

/** Highlights a fenced code block at build time; code in a language it does not know stays plain. */
function highlightCode(code: string, language: string): string {
  if (language === '' || highlighter.getLanguage(language) === undefined) return code;
  return highlighter.highlight(code, { language }).value;
}

/** A heading of a rendered page, for its table of contents. */
export interface PageHeading {
  /** 1 for `#`, 2 for `##`, and so on. */
  level: number;
  /** The heading's text, without markup. */
  text: string;
  /** The `id` of the heading element, for `#` links. */
  id: string;
}

/** A markdown page rendered to HTML. */
export interface RenderedMarkdown {
  /** The HTML of the page's content. */
  html: string;
  /** The page's headings in order. */
  headings: PageHeading[];
}

/** A placeholder line `<!-- generated:NAME -->` that a generated section replaces. */
const GENERATED_SECTION = /^<!--\s*generated:([a-z0-9-]+)\s*-->$/gm;

/** Thrown when a guide names a generated section that does not exist. */
export class UnknownGeneratedSectionError extends Error {
  /** The names a guide may use. */
  readonly knownSections: readonly string[];

  constructor(name: string, knownSections: readonly string[]) {
    super(`Unknown generated section '${name}'. Known sections: ${knownSections.join(', ')}.`);
    this.name = 'UnknownGeneratedSectionError';
    this.knownSections = knownSections;
  }
}

/**
 * Replaces each placeholder line `<!-- generated:NAME -->` with the markdown of that section.
 * A placeholder for a section that is not given is an error, so a typo cannot ship an empty section.
 */
export function fillGeneratedSections(markdown: string, sections: Readonly<Record<string, string>>): string {
  return markdown.replace(GENERATED_SECTION, (_placeholder, name: string) => {
    const section = sections[name];
    if (section === undefined) throw new UnknownGeneratedSectionError(name, Object.keys(sections));
    return section;
  });
}

/**
 * Renders markdown (GitHub-flavoured, with GitHub-style heading ids, and code blocks highlighted by
 * highlight.js for sh, js, ts, json and python) to HTML. Raw HTML in the markdown is shown as text, never
 * passed through, so text from any source renders as written.
 */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const highlighting = markedHighlight({
    langPrefix: 'hljs language-',
    emptyLangClass: 'hljs',
    highlight: highlightCode,
  });
  const marked = new Marked(highlighting, gfmHeadingId(), {
    gfm: true,
    renderer: { html: ({ text }) => escapeHtml(text) },
  });
  const html = marked.parse(markdown, { async: false });
  const headings = getHeadingList().map(({ level, text, id }) => ({ level, text, id }));
  return { html, headings };
}
