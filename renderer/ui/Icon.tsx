import type { SVGProps } from "react";

/** A few line icons (24×24, stroke = currentColor); glyphs vary too much between system fonts. */
const paths = {
  copy: "M9 9h10v10H9zM5 15V5h10",
  check: "M5 12.5l4.5 4.5L19 7.5",
  dice: "M5 5h14v14H5zM9 9h.01M15 9h.01M12 12h.01M9 15h.01M15 15h.01",
  refresh: "M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6",
  play: "M7 5l12 7-12 7z",
  stop: "M7 7h10v10H7z",
  chevron: "M9 6l6 6-6 6",
  append: "M4 6h12M4 12h8M4 18h6M16 12v8M12 16h8",
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, className = "size-3.5", ...rest }: { name: IconName } & SVGProps<SVGSVGElement>) {
  const filled = name === "play" || name === "stop";
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden
      className={className}
      fill={filled ? "currentColor" : "none"}
      stroke="currentColor"
      strokeWidth={name === "dice" ? 1.8 : 2}
      strokeLinecap="round"
      strokeLinejoin="round"
      {...rest}
    >
      <path d={paths[name]} />
    </svg>
  );
}
