import type { SelectHTMLAttributes } from "react";
import { inputClass } from "./inputClass";
import { mergeClasses } from "./mergeClasses";

export function Select({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={mergeClasses(`${inputClass} h-8 pr-7`, className)} {...rest} />;
}
