import type { InputHTMLAttributes } from "react";
import { inputClass } from "./inputClass";
import { mergeClasses } from "./mergeClasses";

export function TextInput({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input spellCheck={false} autoComplete="off" className={mergeClasses(`${inputClass} h-8`, className)} {...rest} />;
}
