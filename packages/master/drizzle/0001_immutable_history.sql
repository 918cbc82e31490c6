-- Configuration versions, audit records and deployment events are history: the database itself
-- refuses to change or remove them, whatever the application code does.
CREATE FUNCTION hamaster_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation', HINT = 'history is immutable; write a new row instead';
END
$$;
--> statement-breakpoint
CREATE TRIGGER config_versions_immutable BEFORE UPDATE OR DELETE ON config_versions
  FOR EACH ROW EXECUTE FUNCTION hamaster_refuse_change();
--> statement-breakpoint
CREATE TRIGGER config_versions_no_truncate BEFORE TRUNCATE ON config_versions
  FOR EACH STATEMENT EXECUTE FUNCTION hamaster_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION hamaster_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION hamaster_refuse_change();
--> statement-breakpoint
CREATE TRIGGER deployment_events_immutable BEFORE UPDATE OR DELETE ON deployment_events
  FOR EACH ROW EXECUTE FUNCTION hamaster_refuse_change();
--> statement-breakpoint
CREATE TRIGGER deployment_events_no_truncate BEFORE TRUNCATE ON deployment_events
  FOR EACH STATEMENT EXECUTE FUNCTION hamaster_refuse_change();
