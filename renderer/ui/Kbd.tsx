import type { ReactNode } from "react";

export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-zinc-600/70 border-b-2 bg-zinc-800/80 px-1 font-sans text-[10px] leading-none text-zinc-300">{children}</kbd>
  );
}
