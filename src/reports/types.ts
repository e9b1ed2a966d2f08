/** The report as data: what the wikitext, Markdown and JSON renderers all show. */

export interface ReportBucket {
  /** '' when unknown. */
  value: string;
  items: number;
}

export interface ReportPoint {
  text: string;
  /** Item ids the point stands for. */
  citations: number[];
}

export interface ReportTheme {
  key: string;
  label: string;
  items: number;
  participants: number;
  contexts: { context: string; items: number; points: ReportPoint[] }[];
}

export interface ReportPoll {
  id: string;
  question: string;
  multiple: boolean;
  source: string;
  participants: number | null;
  options: { label: string; votes: number; percent: number | null }[];
  /** "37 participants - 5 options - Multiple votes", then "1- <option> (31 people - 84 %)". */
  lines: string[];
}

export interface ReportData {
  consultation: { slug: string; title: string; language: string };
  generatedAt: string;
  /** `extractive` or `llm`: who wrote the key points. */
  generator: string;
  participation: {
    items: number;
    participants: number;
    channels: ReportBucket[];
    contexts: ReportBucket[];
    languages: ReportBucket[];
  };
  themes: ReportTheme[];
  polls: ReportPoll[];
}
