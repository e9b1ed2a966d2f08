DROP INDEX `items_consultation_participant`;--> statement-breakpoint
DROP INDEX `items_upload`;