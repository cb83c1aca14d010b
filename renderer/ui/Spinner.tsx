import { cx } from "./cx";

export function Spinner({ className, label = "Working" }: { className?: string; label?: string }) {
  return (
    <span
      role="status"
      aria-label={label}
      className={cx("inline-block size-3.5 shrink-0 animate-spin rounded-full border-2 border-current border-r-transparent", className)}
    />
  );
}
