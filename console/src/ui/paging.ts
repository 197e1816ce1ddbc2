// Marker-paged lists: the markers of the pages seen so far, so that Previous needs no re-walk.

import { useState } from 'preact/hooks';

export interface Paging {
  page: number;
  marker: string | undefined;
  next(marker: string): void;
  prev(): void;
  reset(): void;
}

export function usePaging(): Paging {
  const [markers, setMarkers] = useState<(string | undefined)[]>([undefined]);
  const page = markers.length - 1;
  return {
    page,
    marker: markers[page],
    next: (marker) => setMarkers((m) => [...m, marker]),
    prev: () => setMarkers((m) => (m.length > 1 ? m.slice(0, -1) : m)),
    reset: () => setMarkers([undefined]),
  };
}
