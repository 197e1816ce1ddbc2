// Event history: CloudTrail LookupEvents over iamd's record of every call, filtered by one lookup
// attribute as CloudTrail allows, paged by its NextToken, each event's JSON a click away.

import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { json } from '../aws/client.ts';
import { useAsync } from '../ui/async.ts';
import { JsonView, Show, when } from '../ui/components.tsx';

interface TrailEvent {
  EventId: string;
  EventName: string;
  EventTime: number;
  EventSource: string;
  Username?: string;
  CloudTrailEvent: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
}

const ATTRIBUTES = ['EventName', 'Username', 'ResourceName', 'ResourceType', 'EventSource', 'AccessKeyId', 'ReadOnly', 'EventId'];

export function Events(): VNode {
  const [filter, setFilter] = useState<{ key: string; value: string }>({ key: 'EventName', value: '' });
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<string>();
  const token = tokens[tokens.length - 1];
  const [events] = useAsync(
    () =>
      json<{ Events?: TrailEvent[]; NextToken?: string }>('cloudtrail', 'LookupEvents', {
        MaxResults: 50,
        ...(filter.value ? { LookupAttributes: [{ AttributeKey: filter.key, AttributeValue: filter.value }] } : {}),
        ...(token ? { NextToken: token } : {}),
      }),
    [filter.key, filter.value, token],
  );
  return (
    <section>
      <h1>Event history</h1>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setTokens([undefined]);
          setFilter({ key: String(form.get('key')), value: String(form.get('value') ?? '').trim() });
        }}
      >
        <select name="key" aria-label="Lookup attribute">
          {ATTRIBUTES.map((a) => (
            <option selected={a === filter.key}>{a}</option>
          ))}
        </select>
        <input name="value" type="search" aria-label="Value" placeholder="Value" defaultValue={filter.value} />
        <button type="submit">Filter</button>
      </form>
      <Show value={events}>
        {(r) => (
          <>
            <table class="grid" aria-label="Events">
              <thead>
                <tr>
                  <th>Event name</th>
                  <th>Time</th>
                  <th>User name</th>
                  <th>Source</th>
                  <th>Resources</th>
                </tr>
              </thead>
              <tbody>
                {(r.Events ?? []).map((e) => (
                  <>
                    <tr data-event={e.EventName}>
                      <td>
                        <button type="button" class="link" aria-expanded={open === e.EventId} onClick={() => setOpen(open === e.EventId ? undefined : e.EventId)}>
                          {e.EventName}
                        </button>
                      </td>
                      <td>{when(new Date(e.EventTime * 1000).toISOString())}</td>
                      <td>{e.Username ?? '—'}</td>
                      <td>{e.EventSource}</td>
                      <td>{(e.Resources ?? []).map((x) => x.ResourceName).join(', ')}</td>
                    </tr>
                    {open === e.EventId && (
                      <tr>
                        <td colSpan={5}>
                          <JsonView text={e.CloudTrailEvent} label="Event record" />
                        </td>
                      </tr>
                    )}
                  </>
                ))}
              </tbody>
            </table>
            {(r.Events ?? []).length === 0 && <p class="empty">No events.</p>}
            <div class="pager">
              <button type="button" disabled={tokens.length === 1} onClick={() => setTokens(tokens.slice(0, -1))}>
                ‹ Newer
              </button>
              <button type="button" disabled={!r.NextToken} onClick={() => setTokens([...tokens, r.NextToken])}>
                Older ›
              </button>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
