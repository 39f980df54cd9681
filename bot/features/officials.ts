import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
export const officialsFeature = new Composer<BotContext>();
export async function handleOfficialText(_ctx: BotContext, _text: string): Promise<boolean> {
  return false;
}
