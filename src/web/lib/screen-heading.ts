import { useEffect, useRef } from 'react';

/**
 * Keeps the page title on the screen's name (`data-title` of an element in <main>, else its h1: "Users › Import
 * Log · lmc") and, after an in-app navigation, moves focus to the new screen's h1 so screen readers announce it (a
 * single-page app gets no page load to do that). The first screen after a page load or sign-in, or a navigation
 * while nothing had focus, keeps the browser's focus (the skip link comes first). Headings that arrive with the screen's data are waited for.
 */
export function useScreenHeading(path: string): void {
  const previous = useRef<string | undefined>(undefined);
  useEffect(() => {
    const main = document.getElementById('main');
    const from = previous.current;
    previous.current = path;
    if (!main) return;
    // Focus moves only when the admin was somewhere on the page (a link or button they used); with nothing
    // focused (a page load, the sign-in form just gone) the skip link stays the first stop.
    const active = document.activeElement;
    let focused = from === undefined || from === '/sign-in' || !active || active === document.body;
    const sync = () => {
      const h1 = main.querySelector('h1');
      const named = main.querySelector('[data-title]')?.getAttribute('data-title');
      const text = (named ?? h1?.textContent ?? '').trim();
      const title = text ? `${text} · lmc` : 'lmc';
      if (document.title !== title) document.title = title;
      if (!focused && h1) {
        focused = true;
        h1.tabIndex = -1;
        h1.focus();
      }
    };
    sync();
    const watch = new MutationObserver(sync);
    watch.observe(main, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-title'] });
    return () => watch.disconnect();
  }, [path]);
}
