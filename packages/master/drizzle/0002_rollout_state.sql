ALTER TABLE "clusters" ADD COLUMN "desired_version" integer;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "desired_hash" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "applied_version" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_authorities_one_active" ON "certificate_authorities" USING btree ("active") WHERE "certificate_authorities"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_cert_serial_key" ON "nodes" USING btree ("cert_serial");