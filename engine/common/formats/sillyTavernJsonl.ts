import { MasqueError } from "../errors.js";
import { childrenOf, pathTo } from "../project/queries.js";
import { defaultFormat } from "../project/transcript.js";
import type { Participant, ProjectState, Scene, TreeNode } from "../project/types.js";
import { BundleBuilder, type ImportResult } from "./bundle.js";
import { embedNode, embedTree, fitOrigin, isoOr, readEmbeddedNode, readEmbeddedTree } from "./embedded.js";
import { boundedJson, checkText, clampName, importLimits } from "./limits.js";
import { selectTrees, type ExportOptions } from "./selection.js";

/**
 * SillyTavern chat JSONL. Line 1 is a header
 *   {"user_name", "character_name", "create_date", "chat_metadata": {…}}
 * and every further line a message
 *   {"name", "is_user", "is_system", "send_date", "mes", "swipes", "swipe_id", "swipe_info", "extra"}.
 * A chat is one path: the export writes the active path, and at each turn the siblings
 * with the same speaker become that message's swipes (their own branches cannot travel:
 * a swipe is a string). Import turns swipes back into siblings. Speakers map to Masque's
 * speaker field and the tree gets a scene with one participant per speaker, so an
 * imported chat continues as a transcript at once.
 *
 * Turn text in a scene starts with the space after the speaker tag ("Alice:" + " hi"),
 * which a chat message does not have: export strips one leading space and import adds it.
 * Messages hidden from the prompt in SillyTavern (`is_system`) carry the tag `st-system`.
 * The root goes first as a message of its own (a narrator message when it is a scene's frame).
 */
export const SILLYTAVERN_EMBED_FORMAT = "masque-sillytavern";
const HIDDEN_TAG = "st-system";

export function exportSillyTavern(state: ProjectState, options: ExportOptions): string {
  const [tree] = selectTrees(state, options.treeId);
  if (tree === undefined) throw new MasqueError("bad-request", "This project has no tree to export.");
  const scene = tree.sceneId === null ? null : (state.scenes.get(tree.sceneId) ?? null);
  const userName = scene?.participants.find((p) => p.role === "user")?.speaker ?? "User";
  const characterName = scene?.participants.find((p) => p.role === "model")?.speaker ?? "Narrator";
  const roles = new Map<string, Participant["role"]>((scene?.participants ?? []).map((p) => [p.speaker, p.role]));
  const isUser = (node: TreeNode): boolean => {
    if (node.speaker !== null) return (roles.get(node.speaker) ?? (node.speaker === userName ? "user" : "model")) === "user";
    if (node.origin === "human") return true;
    const source = node.sourceId === null ? undefined : state.nodes.get(node.sourceId);
    return (node.origin === "edit" || node.origin === "continuation") && source?.origin === "human";
  };
  const toMes = (node: TreeNode) => (node.speaker !== null && node.text.startsWith(" ") ? { mes: node.text.slice(1), prefix: " " } : { mes: node.text, prefix: undefined });
  const extraOf = (node: TreeNode, prefix: string | undefined, role?: "root") => ({
    ...(node.generation !== null ? { api: "masque", model: node.generation.record.modelFile } : {}),
    masque: role === undefined ? embedNode(node, prefix) : { ...embedNode(node, prefix), role },
  });

  // A chat read from SillyTavern keeps its header and each message's own fields, written back as they were.
  const kept = tree.foreign?.sillytavern;
  const keptHeader = isObject(kept?.header) ? kept.header : {};
  const header = {
    ...keptHeader,
    user_name: keptHeader.user_name ?? userName,
    character_name: keptHeader.character_name ?? characterName,
    create_date: keptHeader.create_date ?? humanizedDate(tree.createdAt),
    chat_metadata: {
      ...(isObject(keptHeader.chat_metadata) ? keptHeader.chat_metadata : {}),
      masque: { format: SILLYTAVERN_EMBED_FORMAT, version: 1, exportedAt: options.now, writer: options.writer, tree: embedTree(tree, scene) },
    },
  };
  const lines = [JSON.stringify(header)];
  const path = pathTo(state, tree.activeId);
  // The empty root an import put above a chat's first message is not a message of the chat.
  const skipRoot = kept?.syntheticRoot === true && path[0]?.text === "" && path.length > 1;
  path.forEach((node, i) => {
    if (i === 0 && skipRoot) return;
    const own = node.foreign?.sillytavern;
    if (own !== undefined && i > 0) {
      lines.push(JSON.stringify(keptMessage(state, node, own, path[i - 1]!, extraOf(node, toMes(node).prefix), toMes)));
      return;
    }
    const user = i > 0 && isUser(node);
    // A scene's root is its frame, not a turn: SillyTavern's narrator message is the closest thing.
    const frame = i === 0 && scene !== null;
    const name = frame ? "System" : (node.speaker ?? (user ? userName : characterName));
    const { mes, prefix } = toMes(node);
    const extra = extraOf(node, prefix, i === 0 ? "root" : undefined);
    const message: Record<string, unknown> = {
      name,
      is_user: user,
      is_system: node.tags.includes(HIDDEN_TAG),
      send_date: node.createdAt,
      mes,
      extra: frame ? { type: "narrator", ...extra } : extra,
    };
    if (i > 0) {
      const swipes = childrenOf(state, path[i - 1]!.id).filter((s) => s.id === node.id || (s.speaker === node.speaker && isUser(s) === user));
      if (swipes.length > 1) {
        const texts = swipes.map(toMes);
        message.swipes = texts.map((t) => t.mes);
        message.swipe_id = swipes.findIndex((s) => s.id === node.id);
        message.swipe_info = swipes.map((s, k) => ({ send_date: s.createdAt, extra: extraOf(s, texts[k]!.prefix) }));
      }
    }
    lines.push(JSON.stringify(message));
  });
  return lines.join("\n") + "\n";
}

/**
 * A message read from SillyTavern, written back: its own fields verbatim (swipe info, generation
 * metadata, avatars…), with Masque's text and its embed in `extra.masque`. Swipes are written as
 * they were while the turn's siblings still are those swipes; otherwise they are the siblings.
 */
function keptMessage(state: ProjectState, node: TreeNode, own: Record<string, unknown>, parent: TreeNode, embed: Record<string, unknown>, toMes: (n: TreeNode) => { mes: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { ...own, mes: toMes(node).mes };
  const { api: _api, model: _model, ...masqueOnly } = embed;
  out.extra = { ...(isObject(own.extra) ? own.extra : {}), ...masqueOnly };
  if (node.tags.includes(HIDDEN_TAG) !== (own.is_system === true)) out.is_system = node.tags.includes(HIDDEN_TAG);
  const siblings = childrenOf(state, parent.id).filter((s) => s.id === node.id || s.speaker === node.speaker);
  const texts = siblings.map((s) => toMes(s).mes);
  const keptSwipes = Array.isArray(own.swipes) ? own.swipes.map(swipeText) : null;
  const unchanged = keptSwipes !== null ? keptSwipes.length === texts.length && keptSwipes.every((t, k) => t === texts[k]) && own.swipe_id === siblings.findIndex((s) => s.id === node.id) : siblings.length === 1;
  if (!unchanged) {
    out.swipes = texts;
    out.swipe_id = siblings.findIndex((s) => s.id === node.id);
    out.swipe_info = siblings.map((s) => ({ send_date: s.createdAt, extra: {} }));
  }
  return out;
}

/** SillyTavern's own `create_date` style ("2024-5-17 @14h 03m 09s 512ms"), in UTC. */
function humanizedDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()} @${p(d.getUTCHours())}h ${p(d.getUTCMinutes())}m ${p(d.getUTCSeconds())}s ${d.getUTCMilliseconds()}ms`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An object without Masque's `masque` key (what Masque wrote there is read separately). */
function withoutMasque(value: unknown): Record<string, unknown> {
  if (!isObject(value)) return {};
  const { masque: _masque, ...rest } = value;
  return rest;
}

/** A message's own fields: all but its text, with Masque's embed taken out of `extra`. */
function messageFields(m: Record<string, unknown>): Record<string, unknown> {
  const { mes: _mes, ...rest } = m;
  if (isObject(rest.extra)) rest.extra = withoutMasque(rest.extra);
  return rest;
}

/** A swipe is a string; Chub's variant wraps it as {message}. */
function swipeText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.message === "string") return value.message;
  return null;
}

/**
 * Reads a SillyTavern chat into one new tree. Swipes become siblings of the chosen
 * message, in their order; the chosen one carries the chat on. A chat Masque exported
 * comes back with its frame, origins, generation records and scene.
 */
export function importSillyTavern(content: string, now: string): ImportResult {
  const lines = content.split("\n").map((l) => l.trim());
  const values: { line: number; value: Record<string, unknown> }[] = [];
  lines.forEach((line, i) => {
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new MasqueError("bad-request", `Line ${i + 1} of this SillyTavern chat is not valid JSON.`);
    }
    if (!isObject(value)) throw new MasqueError("bad-request", `Line ${i + 1} of this SillyTavern chat is not a JSON object.`);
    values.push({ line: i + 1, value });
  });
  const first = values[0];
  if (first === undefined) throw new MasqueError("bad-request", "This SillyTavern chat is empty.");
  const hasHeader = !("mes" in first.value) && ("user_name" in first.value || "character_name" in first.value || "chat_metadata" in first.value);
  if (!hasHeader && !("mes" in first.value)) throw new MasqueError("bad-request", "This is not a SillyTavern chat: line 1 is neither a chat header nor a message.");
  const header = hasHeader ? first.value : {};
  const messages = hasHeader ? values.slice(1) : values;

  const text = (v: unknown) => (typeof v === "string" ? v : null);
  const userName = clampName(text(header.user_name) ?? "", importLimits.maxSpeakerChars) || "User";
  const characterName =
    clampName(text(header.character_name) ?? "", importLimits.maxSpeakerChars) ||
    clampName(text(messages.find((m) => m.value.is_user !== true)?.value.name) ?? "", importLimits.maxSpeakerChars) ||
    "Character";
  const metadata = isObject(header.chat_metadata) ? header.chat_metadata : {};
  const embeddedTree = isObject(metadata.masque) ? readEmbeddedTree(metadata.masque.tree) : null;
  let droppedForeign = 0;
  /** A record's own fields to keep, unless too large or deep (then counted and left out). */
  const keep = (fields: Record<string, unknown>) => {
    if (boundedJson(fields, 1_000_000)) return { sillytavern: fields };
    droppedForeign++;
    return undefined;
  };

  const builder = new BundleBuilder(now);
  const warnings: string[] = [];
  let dropped = 0;
  const embedOf = (extra: unknown) => {
    if (!isObject(extra) || extra.masque === undefined) return null;
    const embed = readEmbeddedNode(extra.masque);
    if (embed === null) dropped++;
    else if (embed.generationDropped) dropped++;
    return embed;
  };

  // The frame: a Masque export's root message, else empty (the scene's transcript follows).
  const rootMessage = messages[0] !== undefined && isObject(messages[0].value.extra) && isObject(messages[0].value.extra.masque) && messages[0].value.extra.masque.role === "root" ? messages[0] : undefined;
  const rootEmbed = rootMessage === undefined ? null : embedOf(rootMessage.value.extra);
  const speakers = new Map<string, Participant["role"]>();
  // The scene goes in first, so generation records can point at it.
  const sceneId = embeddedTree?.scene ? builder.addScene(embeddedTree.scene) : builder.localId();
  let scene: Scene | null = embeddedTree?.scene ?? null;
  const { tree, root } = builder.addTree(clampName(embeddedTree?.name ?? `${characterName} (SillyTavern)`), {
    text: checkText(rootMessage === undefined ? "" : (text(rootMessage.value.mes) ?? ""), "The chat's first message"),
    createdAt: rootEmbed?.createdAt ?? isoOr(embeddedTree?.createdAt, now),
    note: rootEmbed?.note ?? "",
    tags: rootMessage?.value.is_system === true ? [HIDDEN_TAG] : [],
  }, null, rootEmbed?.seq);
  if (embeddedTree !== null) tree.createdAt = isoOr(embeddedTree.createdAt, tree.createdAt);
  const keptHeader: Record<string, unknown> = hasHeader ? { ...header, chat_metadata: withoutMasque(header.chat_metadata) } : {};
  if (!isObject(header.chat_metadata)) delete keptHeader.chat_metadata;
  const treeForeign = keep({ header: keptHeader, syntheticRoot: rootMessage === undefined });
  if (treeForeign !== undefined) tree.foreign = treeForeign;

  let parent = root;
  for (const { line, value: m } of rootMessage === undefined ? messages : messages.slice(1)) {
    const mes = m.mes ?? "";
    if (typeof mes !== "string") throw new MasqueError("bad-request", `Line ${line} of this SillyTavern chat has a message that is not text.`);
    const user = m.is_user === true;
    const name = clampName(text(m.name) ?? "", importLimits.maxSpeakerChars) || (user ? userName : characterName);
    if (!speakers.has(name)) speakers.set(name, user ? "user" : "model");
    // The alternatives at this turn: the swipes, with the message itself as the chosen one.
    const swipes = Array.isArray(m.swipes) ? m.swipes.map(swipeText) : [];
    const info = Array.isArray(m.swipe_info) ? m.swipe_info : [];
    let chosen = typeof m.swipe_id === "number" && Number.isInteger(m.swipe_id) ? m.swipe_id : 0;
    const texts: (string | null)[] = swipes.length > 0 ? swipes : [mes];
    if (chosen < 0 || chosen >= texts.length) chosen = 0;
    if (texts[chosen] !== mes) {
      texts.push(mes);
      chosen = texts.length - 1;
    }
    let next: TreeNode | null = null;
    texts.forEach((t, k) => {
      if (t === null) return;
      const embed = k === chosen ? embedOf(m.extra) : embedOf(isObject(info[k]) ? info[k].extra : undefined);
      const raw = embed !== null && embed.speaker === null;
      const node = builder.addNode(tree.id, parent.id, {
        text: checkText(raw ? t : (embed?.prefix ?? (embed === null ? " " : "")) + t, `Line ${line} of this SillyTavern chat`),
        origin: embed === null ? (user ? "human" : "import") : fitOrigin(embed.origin, false, embed.generation !== null),
        speaker: raw ? null : (embed?.speaker ?? name),
        createdAt: embed?.createdAt ?? isoOr(k === chosen ? m.send_date : isObject(info[k]) ? info[k].send_date : undefined, now),
        note: embed?.note ?? "",
        generation: embed?.generation ?? null,
        ...(embed?.persona !== undefined ? { persona: embed.persona } : {}),
        tags: m.is_system === true ? [HIDDEN_TAG] : [],
        // The chosen message keeps the message's own fields (its swipes travel as siblings and as written).
        ...(k === chosen ? { foreign: keep(messageFields(m)) } : {}),
      }, embed?.seq);
      if (k === chosen) next = node;
    });
    parent = next ?? parent;
  }
  tree.activeId = parent.id;

  // A chat without Masque's scene gets one: each speaker, in order of appearance.
  if (scene === null && speakers.size > 0) {
    const participants = [...speakers].slice(0, 16).map(([speaker, role]): Participant => ({ speaker, simulacrumId: null, role }));
    scene = { kind: "scene", id: sceneId, name: clampName(`${characterName} (SillyTavern)`), frame: "", participants, format: { ...defaultFormat }, script: [], builtinId: null };
    if (speakers.size > 16) warnings.push(`The chat has ${speakers.size} speakers; the scene lists the first 16 (every turn keeps its speaker).`);
  }
  if (scene !== null) {
    if (embeddedTree?.scene == null) builder.bundle.scenes.push({ ...scene, id: sceneId });
    tree.sceneId = sceneId;
  }
  if (droppedForeign > 0) warnings.push(`${droppedForeign} message(s) had fields too large or too deeply nested to keep; an export to SillyTavern will not carry them.`);
  if (dropped > 0) warnings.push(`${dropped} message(s) carried Masque data that did not validate; their text was kept.`);
  return { bundle: builder.finish(), warnings };
}
