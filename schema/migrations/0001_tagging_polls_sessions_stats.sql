CREATE TABLE `ballot_choices` (
	`poll_id` text NOT NULL,
	`voter` text NOT NULL,
	`position` integer NOT NULL,
	`cast_at` text NOT NULL,
	PRIMARY KEY(`poll_id`, `voter`, `position`),
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ballot_choices_poll_position` ON `ballot_choices` (`poll_id`,`position`);--> statement-breakpoint
CREATE TABLE `ballots` (
	`poll_id` text NOT NULL,
	`voter` text NOT NULL,
	`cast_at` text NOT NULL,
	PRIMARY KEY(`poll_id`, `voter`),
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `voter_codes` (
	`poll_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`poll_id`, `code_hash`),
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`token_id` text NOT NULL,
	`csrf` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `llm_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `summaries` (
	`consultation_id` text NOT NULL,
	`theme_key` text NOT NULL,
	`context` text DEFAULT '' NOT NULL,
	`generator` text NOT NULL,
	`points` text NOT NULL,
	`fingerprint` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `summaries_pk` ON `summaries` (`consultation_id`,`theme_key`,`context`);--> statement-breakpoint
CREATE TABLE `tagging_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`consultation_id` text NOT NULL,
	`generator` text NOT NULL,
	`model` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	`tagged` integer DEFAULT 0 NOT NULL,
	`undecided` integer DEFAULT 0 NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`cache_hits` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tagging_runs_consultation` ON `tagging_runs` (`consultation_id`);--> statement-breakpoint
CREATE TABLE `theme_counts` (
	`consultation_id` text NOT NULL,
	`theme` text NOT NULL,
	`dim` text NOT NULL,
	`value` text NOT NULL,
	`items` integer NOT NULL,
	PRIMARY KEY(`consultation_id`, `theme`, `dim`, `value`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `theme_participants` (
	`consultation_id` text NOT NULL,
	`theme` text NOT NULL,
	`participant` text NOT NULL,
	`items` integer NOT NULL,
	PRIMARY KEY(`consultation_id`, `theme`, `participant`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `polls` ADD `results_visibility` text DEFAULT 'always' NOT NULL;