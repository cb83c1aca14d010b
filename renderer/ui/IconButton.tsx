import type { ButtonHTMLAttributes } from "react";
import { cx } from "./cx";
import { Icon, type IconName } from "./Icon";

export interface IconButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  icon: IconName;
  /** Names the action for the tooltip and for assistive technology. */
  label: string;
  active?: boolean;
  iconClassName?: string;
}

/** A small square button that is only an icon; its label is the tooltip and the accessible name. */
export function IconButton({ icon, label, active = false, className, iconClassName, type = "button", ...rest }: IconButtonProps) {
  return (
    <button
      type={type}
      title={label}
      aria-label={label}
      className={cx(
        "inline-flex size-6 shrink-0 items-center justify-center rounded-md transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-violet-400",
        "disabled:pointer-events-none disabled:opacity-35",
        active ? "text-violet-200 bg-violet-500/15 hover:bg-violet-500/25" : "text-zinc-500 hover:bg-zinc-800 hover:text-zinc-100",
        className,
      )}
      {...rest}
    >
      <Icon name={icon} className={cx("size-3.5", iconClassName)} />
    </button>
  );
}
