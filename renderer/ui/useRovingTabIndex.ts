import { useEffect, type KeyboardEvent, type RefObject } from "react";

/** The enabled buttons of a roving group, in document order; popovers inside it are left out. */
function itemsOf(group: HTMLElement): HTMLElement[] {
  return Array.from(group.querySelectorAll<HTMLElement>("button:not(:disabled)")).filter((b) => b.closest("[data-roving-skip]") === null);
}

/**
 * A roving tabindex (WAI-ARIA toolbar pattern): the group is one tab stop; ← → (and Home,
 * End) move between its buttons, and Tab leaves it. The button last focused is the one Tab
 * comes back to. Buttons come and go with state (disabled, shown on hover), so every render
 * re-marks which one takes the tab stop.
 */
export function useRovingTabIndex(ref: RefObject<HTMLElement | null>): { onKeyDown: (e: KeyboardEvent) => void; onFocus: (e: React.FocusEvent) => void } {
  useEffect(() => {
    const group = ref.current;
    if (group === null) return;
    const items = itemsOf(group);
    const current = items.find((b) => b.dataset.rovingCurrent === "true") ?? items[0];
    for (const b of items) b.tabIndex = b === current ? 0 : -1;
    // Disabled buttons cannot take focus anyway; popover buttons keep their own order.
  });
  const mark = (target: HTMLElement, items: HTMLElement[]) => {
    for (const b of items) {
      b.tabIndex = b === target ? 0 : -1;
      if (b === target) b.dataset.rovingCurrent = "true";
      else delete b.dataset.rovingCurrent;
    }
  };
  return {
    onFocus: (e) => {
      const group = ref.current;
      const target = e.target as HTMLElement;
      if (group === null || target.tagName !== "BUTTON" || target.closest("[data-roving-skip]") !== null) return;
      mark(target, itemsOf(group));
    },
    onKeyDown: (e) => {
      const group = ref.current;
      if (group === null || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
      const target = e.target as HTMLElement;
      if (target.closest("[data-roving-skip]") !== null) return;
      const items = itemsOf(group);
      const at = items.indexOf(target);
      if (at === -1) return;
      // Handled here, so the window's ← → sibling shortcuts do not also fire.
      e.preventDefault();
      e.stopPropagation();
      const next = e.key === "Home" ? 0 : e.key === "End" ? items.length - 1 : (at + (e.key === "ArrowRight" ? 1 : -1) + items.length) % items.length;
      mark(items[next]!, items);
      items[next]!.focus();
    },
  };
}
