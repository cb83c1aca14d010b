import type { SelectHTMLAttributes } from "react";
import { cx } from "./cx";
import { inputClass } from "./inputClass";

export function Select({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cx(inputClass, "h-8 pr-7", className)} {...rest} />;
}
