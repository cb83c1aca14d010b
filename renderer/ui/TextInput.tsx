import type { InputHTMLAttributes } from "react";
import { cx } from "./cx";
import { inputClass } from "./inputClass";

export function TextInput({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input spellCheck={false} autoComplete="off" className={cx(inputClass, "h-8", className)} {...rest} />;
}
