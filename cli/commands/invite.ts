/**
 * `invite <unit code> [--role focal|deputy|official|admin] [--bot <username>]`: make a single-use invite
 * and print its code and t.me deep link (bot from --bot, else BOT_USERNAME, else "your_bot").
 */
import { cliConfig, openCliDb } from "../db.ts";
import { createInvite, INVITE_ROLES, inviteLink } from "../../core/units/people.ts";

const USAGE = "Cách dùng: npm run cli -- invite <mã đơn vị> [--role focal|deputy|official|admin] [--bot <tên bot>]";

const ROLE_LABELS: Record<string, string> = {
  focal: "đầu mối",
  deputy: "đầu mối phó",
  official: "cán bộ quản lý",
  admin: "quản trị",
};

/** Split `--name value` options from positional arguments. */
export function parseOptions(args: string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
      options[name] = inline ?? args[++i] ?? "";
    } else positional.push(a);
  }
  return { positional, options };
}

export async function run(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args);
  const unitCode = positional[0];
  const role = options.role ?? "focal";
  if (!unitCode) {
    console.error(USAGE);
    return 2;
  }
  if (!INVITE_ROLES.includes(role as never)) {
    console.error(`Vai trò "${role}" không hợp lệ. Chọn một trong: ${INVITE_ROLES.join(", ")}.`);
    return 2;
  }
  const bot = options.bot || cliConfig().BOT_USERNAME || "your_bot";
  const db = await openCliDb();
  try {
    const r = await createInvite(db, unitCode, role);
    if (r.status === "unit_not_found") {
      console.error(`Không có đơn vị mã "${r.unitCode}". Kiểm tra mã hoặc nhập danh sách đơn vị trước (units import).`);
      return 1;
    }
    if (r.status === "bad_role") {
      console.error(`Vai trò "${r.role}" không hợp lệ.`);
      return 2;
    }
    console.log(`Mã mời ${ROLE_LABELS[r.role]} cho ${r.unit.name} (${r.unit.code}): ${r.code}`);
    console.log(`Đường dẫn (dùng một lần): ${inviteLink(bot, r.code)}`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}
