CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`consultation_id` text,
	`target` text,
	`details` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_consultation` ON `audit_log` (`consultation_id`);--> statement-breakpoint
CREATE TABLE `consultations` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`taxonomy` text NOT NULL,
	`taxonomy_version` integer DEFAULT 1 NOT NULL,
	`pseudonym_salt` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consultations_slug_unique` ON `consultations` (`slug`);--> statement-breakpoint
CREATE TABLE `item_themes` (
	`item_id` integer NOT NULL,
	`theme_key` text NOT NULL,
	`confidence` real NOT NULL,
	`source` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `item_themes_pk` ON `item_themes` (`item_id`,`source`,`theme_key`);--> statement-breakpoint
CREATE INDEX `item_themes_theme` ON `item_themes` (`theme_key`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consultation_id` text NOT NULL,
	`upload_id` text NOT NULL,
	`participant` text,
	`text` text NOT NULL,
	`language` text,
	`at` text,
	`channel` text NOT NULL,
	`context` text,
	`question` text,
	`content_hash` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_consultation_hash` ON `items` (`consultation_id`,`content_hash`);--> statement-breakpoint
CREATE INDEX `items_consultation_status` ON `items` (`consultation_id`,`status`);--> statement-breakpoint
CREATE INDEX `items_consultation_participant` ON `items` (`consultation_id`,`participant`);--> statement-breakpoint
CREATE INDEX `items_upload` ON `items` (`upload_id`);--> statement-breakpoint
CREATE TABLE `participants` (
	`consultation_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`label` text NOT NULL,
	`first_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`erased_at` text,
	PRIMARY KEY(`consultation_id`, `pseudonym`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `poll_options` (
	`poll_id` text NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`imported_votes` integer,
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `poll_options_pk` ON `poll_options` (`poll_id`,`position`);--> statement-breakpoint
CREATE TABLE `polls` (
	`id` text PRIMARY KEY NOT NULL,
	`consultation_id` text NOT NULL,
	`question` text NOT NULL,
	`multiple` integer NOT NULL,
	`max_choices` integer,
	`theme` text,
	`source` text NOT NULL,
	`upload_id` text,
	`imported_participants` integer,
	`opens_at` text,
	`closes_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `themes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consultation_id` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`i18n` text DEFAULT '{}' NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `themes_consultation_key` ON `themes` (`consultation_id`,`key`);--> statement-breakpoint
CREATE INDEX `themes_consultation` ON `themes` (`consultation_id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`label` text,
	`consultations` text DEFAULT '[]' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`hash`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`consultation_id` text NOT NULL,
	`sha256` text NOT NULL,
	`format` text NOT NULL,
	`channel` text NOT NULL,
	`context` text,
	`language` text,
	`filename` text,
	`bytes` integer NOT NULL,
	`items` integer NOT NULL,
	`duplicates` integer NOT NULL,
	`participants` integer NOT NULL,
	`skipped` text NOT NULL,
	`redactions` text NOT NULL,
	`warnings` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uploads_consultation_sha` ON `uploads` (`consultation_id`,`sha256`);