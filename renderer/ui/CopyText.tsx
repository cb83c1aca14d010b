import { useState } from "react";
import { cx } from "./cx";
import { Icon } from "./Icon";

export interface CopyTextProps {
  text: string;
  /** What to show; the full text is in the tooltip and goes to the clipboard. */
  display?: string;
  className?: string;
  label?: string;
}

/** A value that shows its full form on hover and copies itself on click. */
export function CopyText({ text, display = text, className, label = "Copy" }: CopyTextProps) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  };
  return (
    <button
      type="button"
      onClick={copy}
      title={`${text}\n(click to copy)`}
      aria-label={`${label}: ${text}`}
      className={cx("inline-flex max-w-full items-center gap-1 rounded font-mono hover:text-violet-200 focus-visible:outline-1 focus-visible:outline-violet-400", className)}
    >
      <span className="truncate">{display}</span>
      <Icon name={copied ? "check" : "copy"} className={cx("size-3 shrink-0", copied ? "text-emerald-300" : "text-zinc-500")} />
    </button>
  );
}
