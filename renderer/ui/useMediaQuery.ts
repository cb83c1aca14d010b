import { useSyncExternalStore } from "react";

/** Whether a CSS media query matches now, re-rendering when that changes (window resize). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/** Wide enough for the three-column workspace (Tailwind's xl breakpoint). */
export const WIDE = "(min-width: 1280px)";
