import { app, safeStorage } from "electron";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The remote engines' API key, kept between launches encrypted by the operating system's
 * keychain (Electron's safeStorage: Keychain, DPAPI, libsecret/kwallet). Only this file and
 * the engine process's environment ever hold it; projects, records, logs and exports never do.
 */
const keyFile = () => join(app.getPath("userData"), "remote-api-key.bin");

/** The stored key, or undefined when there is none or it cannot be decrypted here. */
export function readStoredApiKey(): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  try {
    return safeStorage.decryptString(readFileSync(keyFile()));
  } catch {
    return undefined;
  }
}

/** Stores (or, with null, forgets) the key; refuses to write it unencrypted. */
export function storeApiKey(key: string | null): void {
  if (key === null) {
    rmSync(keyFile(), { force: true });
    return;
  }
  // On Linux without a keyring safeStorage falls back to a hard-coded password: no better than plain text.
  if (!safeStorage.isEncryptionAvailable() || (process.platform === "linux" && safeStorage.getSelectedStorageBackend?.() === "basic_text")) {
    console.warn("Masque: no OS keychain is available, so the API key is kept for this session only.");
    return;
  }
  writeFileSync(keyFile(), safeStorage.encryptString(key), { mode: 0o600 });
}
