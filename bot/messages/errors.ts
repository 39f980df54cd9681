/**
 * Words of the errors core throws as tagged classes, for whoever prints them (the CLI, scripts):
 * core's own messages are technical (for logs); this is what an operator reads.
 *
 *   operatorErrorText(new UnknownUnitError("XA-KHONGCO"))
 *   // 'Không tìm thấy đơn vị có mã "XA-KHONGCO". Kiểm tra lại mã đơn vị (ví dụ: XA-TANKY).'
 */
import { ConfigError } from "../../core/config.ts";
import { DatabaseBusyError } from "../../core/db/busy.ts";
import { NotMigratedError } from "../../core/db/client.ts";
import { UnknownUnitError } from "../../core/officials/scope.ts";
import type { ToolFailure } from "../../core/privacy/backup.ts";
import { InvalidPeriodError } from "../../core/reporting/periods.ts";
import { configErrorText } from "./config.ts";
import { unknownUnitText } from "./officials.ts";
import { invalidPeriodText } from "./report.ts";

/** A locked database that stayed locked through the retries. */
export const DATABASE_BUSY_TEXT = "Cơ sở dữ liệu đang bận (bot hoặc một lệnh khác đang ghi dữ liệu). Vui lòng thử lại sau ít phút.";

/** The database is behind the code (core/db/client.ts NotMigratedError): how to bring it up to date. */
export function notMigratedText(pending: number): string {
  return (
    `Cơ sở dữ liệu chưa được cập nhật cấu trúc (còn ${pending} bản cập nhật chưa áp dụng).\n` +
    "Chạy: npm run cli -- db migrate   (hoặc khởi động bot bằng npm start, bot tự cập nhật), rồi chạy lại lệnh này."
  );
}

/** What pg_dump/pg_restore said (core/privacy/backup.ts), or that it is not installed. */
export function toolFailureText(f: ToolFailure): string {
  return f.toolMissing ? "không tìm thấy pg_dump/pg_restore (cài gói postgresql-client)" : f.detail;
}

/** An error as the operator reads it: core's tagged errors worded, any other error's own message. */
export function operatorErrorText(error: unknown): string {
  if (error instanceof InvalidPeriodError) return invalidPeriodText(error.key);
  if (error instanceof ConfigError) return configErrorText(error);
  if (error instanceof UnknownUnitError) return unknownUnitText(error.code);
  if (error instanceof DatabaseBusyError) return DATABASE_BUSY_TEXT;
  if (error instanceof NotMigratedError) return notMigratedText(error.pending.length);
  return error instanceof Error ? error.message : String(error);
}
