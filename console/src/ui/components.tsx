// Small pieces every page uses: AWS's error as AWS words it, a loading line, highlighted JSON, tabs.

import type { ComponentChildren, VNode } from 'preact';
import { AwsError } from '../aws/client.ts';
import type { Async } from './async.ts';
import { href } from './router.ts';
import type { Paging } from './paging.ts';

export function ErrorBox({ error }: { error: unknown }): VNode {
  const code = error instanceof AwsError ? error.code : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <strong class="error-code">{code}</strong>
      <span class="error-message">{message}</span>
    </div>
  );
}

/** The value's view once loaded; the loading line or AWS's error otherwise. */
export function Show<T>({ value, children }: { value: Async<T>; children: (v: T) => ComponentChildren }): VNode {
  if (value.state === 'loading') return <p class="loading" aria-busy="true">Loading…</p>;
  if (value.state === 'error') return <ErrorBox error={value.error} />;
  return <>{children(value.value)}</>;
}

export const when = (iso: string | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

/** How long ago, for last-activity columns: "Today", "3 days ago", or "None". */
export const ago = (iso: string | undefined): string => {
  if (!iso) return 'None';
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);
  return days <= 0 ? 'Today' : days === 1 ? 'Yesterday' : `${days} days ago`;
};

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;

/** JSON, pretty-printed when it parses, with keys, strings, numbers and literals told apart by colour. */
export function JsonView({ text, label }: { text: string; label?: string }): VNode {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Shown as it is: the text AWS returned.
  }
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const m of pretty.matchAll(TOKEN)) {
    if (m.index > last) parts.push(pretty.slice(last, m.index));
    const cls = m[1] ? (m[2] ? 'j-key' : 'j-str') : m[3] ? 'j-num' : 'j-lit';
    parts.push(<span class={cls}>{m[1] ?? m[0]}</span>);
    if (m[2]) parts.push(m[2]);
    last = m.index + m[0].length;
  }
  parts.push(pretty.slice(last));
  return (
    <pre class="json" tabIndex={0} aria-label={label ?? 'JSON document'}>
      {parts}
    </pre>
  );
}

export function Tabs({ base, current, tabs }: { base: string[]; current: string; tabs: [string, string][] }): VNode {
  return (
    <nav class="tabs" aria-label="Sections">
      {tabs.map(([id, title]) => (
        <a href={href(...base, id)} class={id === current ? 'tab active' : 'tab'} aria-current={id === current ? 'page' : undefined}>
          {title}
        </a>
      ))}
    </nav>
  );
}

export function Badge({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'ok' | 'warn' | 'bad' }): VNode {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

export function statusKind(status: string): 'ok' | 'warn' | 'bad' | 'info' {
  const s = status.toLowerCase();
  if (['available', 'running', 'succeeded', 'active', 'in-use'].includes(s)) return 'ok';
  if (s.includes('fail') || s.includes('delet') || s === 'inactive') return 'bad';
  if (s.includes('creat') || s.includes('progress') || s.includes('modif') || s === 'not_started') return 'warn';
  return 'info';
}

/** A previous/next pager over marker-paged lists. */
/** Previous/Next for a Marker-paged list: `next` is the marker the shown page ended with, if any. */
export function Pager({ paging, next }: { paging: Paging; next: string | undefined }): VNode {
  const { page } = paging;
  return (
    <div class="pager">
      <button type="button" onClick={paging.prev} disabled={page === 0} aria-label="Previous page">
        ‹ Previous
      </button>
      <span class="page-number">Page {page + 1}</span>
      <button type="button" onClick={() => next !== undefined && paging.next(next)} disabled={next === undefined} aria-label="Next page">
        Next ›
      </button>
    </div>
  );
}

export function download(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
