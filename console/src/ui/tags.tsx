// A table of an entity's tags: the users' and the roles' pages show them alike.

import type { VNode } from 'preact';
import type { Tag } from '../aws/iam.ts';
import { useAsync } from './async.ts';
import { Show } from './components.tsx';

/** An entity's tags, read once (give it a `key` per entity); `empty` says why there are none. */
export function TagTable({ load, empty = 'No tags.' }: { load: () => Promise<Tag[]>; empty?: string }): VNode {
  const [tags] = useAsync(load, []);
  return (
    <Show value={tags}>
      {(ts) =>
        ts.length === 0 ? (
          <p class="empty">{empty}</p>
        ) : (
          <table class="grid compact">
            <thead>
              <tr>
                <th>Key</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {ts.map((t) => (
                <tr>
                  <td>{t.Key}</td>
                  <td>{t.Value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Show>
  );
}
