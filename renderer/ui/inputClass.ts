/** Shared look of text-like controls (input, select, textarea). */
export const inputClass =
  "w-full min-w-0 rounded-md border border-zinc-700/80 bg-zinc-950/80 px-2.5 text-[13px] text-zinc-100 placeholder:text-zinc-500 " +
  "transition-colors hover:border-zinc-600 focus:border-violet-500 focus:outline-none focus:ring-2 focus:ring-violet-500/25 " +
  "disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-rose-500/80 aria-invalid:focus:ring-rose-500/25";
