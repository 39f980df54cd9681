/**
 * The words of plan Q&A answers and declines. core/retrieval chooses what to say (a decline's reason,
 * whom to ask, the passages to quote); the caller supplies the wording (bot/messages/qa.ts QA_WORDS),
 * as the dashboard does with ViewWords.
 *
 *   const qa = await createQaEngine({ words: QA_WORDS });
 */
import type { OffTopic } from "./answer.ts";
import type { DeclineReason } from "./engine.ts";

export interface QaWords {
  /** One sentence saying why a question is not answered, per reason. */
  decline: Record<DeclineReason, string>;
  /** What to do instead, for reasons with their own place to ask. */
  nextStep: Partial<Record<DeclineReason, string>>;
  /** Whom to ask of a question the plans do not cover, when no kind of question says better (the bot's decline). */
  askOfficer: string;
  /** Why a question outside the plans by its kind is not answered (the plans do not "fail to cover" the weather). */
  offTopicWhy: string;
  /** Whom to ask, for each kind of question outside the plans (also shown by the bot). */
  offTopicNextStep: Record<OffTopic, string>;
  /** The decline of an empty question (with an example). */
  emptyQuestion: string;
  /** The reply to thanks. */
  thanks: string;
  /** Example questions the plans answer, offered with a decline. */
  examples: string[];
  /** The line before the example questions. */
  examplesLead: string;
  /** The line before the closest sections. */
  closestLead: string;
  /** A place named that no plan covers ("tỉnh Cà Mau"). */
  noPlanOf: (place: string) => string;
  /** Words of the question (as typed) that the closest passage does not state: a number, or what a yes/no question asks about. */
  notStated: (words: string) => string;
  /** A document asked about by its number that the plans only cite (its full text is not in the data). */
  citedOnly: (document: string, citedBy: string[]) => string;
  /** A document asked about by its number that no plan holds or cites. */
  noDocument: (document: string) => string;
  /** An abbreviation asked by its short form, or by its long form. */
  abbreviationOf: (short: string, long: string) => string;
  abbreviatedAs: (short: string, long: string) => string;
  /** Before the quote of how a document uses an abbreviation; docType is lower case ("kế hoạch", "quyết định"). */
  usedIn: (docType: string) => string;
  /** The English name a plan gives a term in brackets. */
  englishName: (term: string, english: string) => string;
  /** A term no plan defines, quoted where the plans mention it. */
  notDefined: (term: string) => string;
  /** Before a plan's name in the lead: a plan, or another document that names its type itself. */
  according: { plan: string; other: string };
  /** After several plans' answers: the asker's plan first, each plan in turn (no place named), or the plans the question named. */
  comparison: { localFirst: string; eachPlan: string; named: string; notCovered: string };
  /** The line before the quotes, and before the sources of a model's answer. */
  quotesLead: string;
  sourcesLead: string;
  /** An official's FAQ entry as cited ("Giải đáp của <unit> (<date>)") and its link line. */
  faqLabel: (unitName: string, updatedAt: Date) => string;
  faqLink: (link: string) => string;
}
