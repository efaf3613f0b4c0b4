"""Covert surveillance moves out of the cases app with its tables as they are.

The tables keep their names (cases_surveillance*), so the models and their constraints are only added to
Django's state here: no row moves. The triggers are installed again under this app's name, because
django-pgtrigger names a trigger in the database after its app; cases 0004 then drops the old copies.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
import django_fsm
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0003_merge_20261126_0958'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SurveillanceRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(editable=False, max_length=20, unique=True)),
                        ('requested_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('grounds', models.TextField(help_text="The concern that the employee's use of social media breached the policy or the Code of Conduct (7.2), and what it rests on.", max_length=5000, verbose_name='grounds for suspicion')),
                        ('necessity', models.TextField(help_text='What the investigation cannot establish without it.', max_length=5000, verbose_name='why it is necessary')),
                        ('proportionality', models.TextField(help_text="Why the intrusion into the employee's private life is justified by the concern.", max_length=5000, verbose_name='why it is proportionate')),
                        ('less_intrusive', models.TextField(help_text='For example asking the employee, interviewing witnesses, or the evidence already reported; and why they are not enough.', max_length=5000, verbose_name='less intrusive ways considered')),
                        ('platforms', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('facebook', 'Facebook'), ('x', 'X (Twitter)'), ('instagram', 'Instagram'), ('tiktok', 'TikTok'), ('youtube', 'YouTube'), ('linkedin', 'LinkedIn'), ('whatsapp', 'WhatsApp or another messaging group'), ('blog', 'Blog or website'), ('other', 'Other')], max_length=20), help_text='The platforms to be looked at.', size=None)),
                        ('accounts', models.TextField(help_text='Exactly which accounts or pages, one a line (for example a profile link or handle).', max_length=2000, verbose_name='accounts in scope')),
                        ('public_only_confirmed', models.BooleanField(default=False, help_text='Only content anyone can see without signing in or connecting is viewed: no fake accounts, no friend or follow requests, no private messages or closed groups.', verbose_name='public content only')),
                        ('collateral_intrusion', models.TextField(help_text='Who else may be seen (family, friends, pupils, parents) and how their privacy is protected.', max_length=5000)),
                        ('starts_on', models.DateField(verbose_name='start')),
                        ('ends_on', models.DateField(help_text='The approval lapses by itself after this day.', verbose_name='end')),
                        ('review_on', models.DateField(help_text='Inside the window: is the surveillance still needed?', verbose_name='review date')),
                        ('dpia_reference', models.CharField(help_text='The data protection impact assessment covering this request.', max_length=60, verbose_name='DPIA reference')),
                        ('may_be_criminal', models.BooleanField(default=False, help_text='Clause 7.2 notes this activity generally falls outside RIPA only because it is not criminal. A possibly criminal matter must go to the police and is not approved here.', verbose_name='the matter may be criminal')),
                        ('status', django_fsm.FSMField(choices=[('requested', "Awaiting the Head of HR's decision"), ('returned', 'Sent back for changes'), ('rejected', 'Rejected'), ('approved', 'Approved'), ('revoked', 'Revoked'), ('completed', 'Completed early')], default='requested', max_length=20, protected=True)),
                        ('version', models.PositiveIntegerField(default=1, help_text='Goes up with every edit; one decision a version.')),
                        ('content_hash', models.CharField(editable=False, max_length=64)),
                        ('approved_hash', models.CharField(blank=True, editable=False, help_text='Frozen at approval.', max_length=64, verbose_name='content hash approved')),
                        ('approved_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('closing_summary', models.TextField(blank=True, max_length=5000)),
                        ('review_reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('end_reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='surveillance_requests', to='cases.case')),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_surveillancerequest',
                        'ordering': ['-requested_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SurveillanceObservation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('observed_at', models.DateTimeField(verbose_name='when it was seen')),
                        ('platform', models.CharField(choices=[('facebook', 'Facebook'), ('x', 'X (Twitter)'), ('instagram', 'Instagram'), ('tiktok', 'TikTok'), ('youtube', 'YouTube'), ('linkedin', 'LinkedIn'), ('whatsapp', 'WhatsApp or another messaging group'), ('blog', 'Blog or website'), ('other', 'Other')], max_length=20)),
                        ('what_was_seen', models.TextField(max_length=5000)),
                        ('link', models.URLField(blank=True, max_length=500)),
                        ('screenshot', models.FileField(blank=True, max_length=300, upload_to='surveillance/%Y/%m/')),
                        ('screenshot_name', models.CharField(blank=True, max_length=200)),
                        ('screenshot_type', models.CharField(blank=True, max_length=100)),
                        ('screenshot_size', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('screenshot_sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 at upload')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='observations', to='surveillance.surveillancerequest')),
                    ],
                    options={
                        'db_table': 'cases_surveillanceobservation',
                        'ordering': ['observed_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SurveillanceDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('decision', models.CharField(choices=[('approve', 'Approve'), ('reject', 'Reject'), ('send_back', 'Send back for changes')], max_length=20)),
                        ('reasons', models.TextField(max_length=5000)),
                        ('content_hash', models.CharField(max_length=64)),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='surveillance.surveillancerequest')),
                    ],
                    options={
                        'db_table': 'cases_surveillancedecision',
                        'ordering': ['decided_at', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='surveillancerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='surveillance_end_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='surveillancerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('review_on__gte', models.F('starts_on')), ('review_on__lte', models.F('ends_on'))), name='surveillance_review_inside_window'),
                ),
                migrations.AddConstraint(
                    model_name='surveillancerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('public_only_confirmed', True)), name='surveillance_public_only'),
                ),
                migrations.AddConstraint(
                    model_name='surveillancerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('may_be_criminal', False)), name='surveillance_never_criminal'),
                ),
                migrations.AddConstraint(
                    model_name='surveillancerequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), models.Q(('approved_by__isnull', False), models.Q(('approved_hash', ''), _negated=True)), _connector='OR'), name='surveillance_approval_recorded'),
                ),
                migrations.AddConstraint(
                    model_name='surveillanceobservation',
                    constraint=models.CheckConstraint(condition=models.Q(('screenshot', ''), models.Q(('screenshot_sha256', ''), _negated=True), _connector='OR'), name='surveillance_screenshot_hashed'),
                ),
                migrations.AddConstraint(
                    model_name='surveillanceobservation',
                    constraint=models.CheckConstraint(condition=models.Q(('observed_at__lte', models.F('recorded_at'))), name='surveillance_seen_before'),
                ),
                migrations.AddConstraint(
                    model_name='surveillancedecision',
                    constraint=models.UniqueConstraint(fields=('request', 'version'), name='surveillance_one_decision_per_version'),
                ),
            ],
            database_operations=[],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surveillancerequest',
            trigger=pgtrigger.compiler.Trigger(name='surveillance_a_edit_voids_approval', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (NEW."status" = \'approved\' AND OLD."status" = \'approved\')', func="\n                IF ROW(OLD.case_id, OLD.grounds, OLD.necessity, OLD.proportionality, OLD.less_intrusive, OLD.platforms, OLD.accounts, OLD.public_only_confirmed, OLD.collateral_intrusion, OLD.starts_on, OLD.ends_on, OLD.review_on, OLD.dpia_reference, OLD.may_be_criminal) IS DISTINCT FROM ROW(NEW.case_id, NEW.grounds, NEW.necessity, NEW.proportionality, NEW.less_intrusive, NEW.platforms, NEW.accounts, NEW.public_only_confirmed, NEW.collateral_intrusion, NEW.starts_on, NEW.ends_on, NEW.review_on, NEW.dpia_reference, NEW.may_be_criminal) THEN\n                    NEW.status := 'requested';\n                    NEW.approved_by_id := NULL;\n                    NEW.approved_at := NULL;\n                    NEW.approved_hash := '';\n                    NEW.version := OLD.version + 1;\n                END IF;\n                RETURN NEW;\n                ", hash='13c368cc283772ea7d3cb7f10b8ddb25f17338c4', operation='UPDATE', pgid='pgtrigger_surveillance_a_edit_voids_approval_ebaa9', table='cases_surveillancerequest', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surveillancerequest',
            trigger=pgtrigger.compiler.Trigger(name='surveillance_b_approver_is_head_of_hr', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (NEW."status" = \'approved\')', func="\n                IF TG_OP = 'UPDATE' THEN\n                    -- Checked when an approval is given or altered, not on every later update, so that a\n                    -- Head of HR who later leaves the role does not freeze the requests they approved.\n                    IF ROW(OLD.status, OLD.approved_by_id, OLD.approved_hash, OLD.requested_by_id)\n                       IS NOT DISTINCT FROM ROW(NEW.status, NEW.approved_by_id, NEW.approved_hash, NEW.requested_by_id)\n                    THEN\n                        RETURN NEW;\n                    END IF;\n                END IF;\n                IF NEW.approved_by_id IS NULL OR NEW.approved_by_id = NEW.requested_by_id THEN\n                    RAISE EXCEPTION 'surveillance: the requester cannot approve their own request (7.2)'\n                        USING ERRCODE = 'check_violation';\n                END IF;\n                IF NOT EXISTS (\n                    SELECT 1 FROM people_roleassignment\n                    WHERE user_id = NEW.approved_by_id AND role = 'head_of_hr'\n                ) THEN\n                    RAISE EXCEPTION 'surveillance: only the Head of HR and OD may approve (7.2)'\n                        USING ERRCODE = 'check_violation';\n                END IF;\n                RETURN NEW;\n                ", hash='12d136b9f4b5e5fab3b3a38b35cb071428aa6c3e', operation='INSERT OR UPDATE', pgid='pgtrigger_surveillance_b_approver_is_head_of_hr_0e193', table='cases_surveillancerequest', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surveillanceobservation',
            trigger=pgtrigger.compiler.Trigger(name='surveillance_observation_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='3b5b4cd6cb65df821e2ba2ededacfd17734e5286', operation='UPDATE OR DELETE', pgid='pgtrigger_surveillance_observation_append_only_00aff', table='cases_surveillanceobservation', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surveillanceobservation',
            trigger=pgtrigger.compiler.Trigger(name='surveillance_observation_in_window', sql=pgtrigger.compiler.UpsertTriggerSql(declare='DECLARE req RECORD; today DATE;', func="\n                SELECT status, starts_on, ends_on INTO req\n                    FROM cases_surveillancerequest WHERE id = NEW.request_id FOR SHARE;\n                -- The clock, not the transaction's start: a long transaction must not stretch the window.\n                today := (clock_timestamp() AT TIME ZONE 'Europe/London')::date;\n                IF req.status IS DISTINCT FROM 'approved' THEN\n                    RAISE EXCEPTION 'surveillance: observations need an approved request (7.2)'\n                        USING ERRCODE = 'check_violation';\n                END IF;\n                IF today < req.starts_on OR today > req.ends_on\n                   OR (NEW.observed_at AT TIME ZONE 'Europe/London')::date < req.starts_on\n                   OR (NEW.observed_at AT TIME ZONE 'Europe/London')::date > req.ends_on\n                   OR NEW.observed_at > clock_timestamp() + interval '5 minutes' THEN\n                    RAISE EXCEPTION 'surveillance: observation outside the approved window (7.2)'\n                        USING ERRCODE = 'check_violation';\n                END IF;\n                RETURN NEW;\n                ", hash='8b29d6d629091d674fee329e725b976fd2a0d215', operation='INSERT', pgid='pgtrigger_surveillance_observation_in_window_e14e8', table='cases_surveillanceobservation', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surveillancedecision',
            trigger=pgtrigger.compiler.Trigger(name='surveillance_decision_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='cf11e16b88df0350f9eb7c6ceab1f66d56cf5f6e', operation='UPDATE OR DELETE', pgid='pgtrigger_surveillance_decision_append_only_46fbc', table='cases_surveillancedecision', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surveillancedecision',
            trigger=pgtrigger.compiler.Trigger(name='surveillance_decider_is_head_of_hr', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n                IF NEW.decided_by_id = (\n                    SELECT requested_by_id FROM cases_surveillancerequest WHERE id = NEW.request_id\n                ) THEN\n                    RAISE EXCEPTION 'surveillance: the requester cannot decide their own request (7.2)'\n                        USING ERRCODE = 'check_violation';\n                END IF;\n                IF NOT EXISTS (\n                    SELECT 1 FROM people_roleassignment WHERE user_id = NEW.decided_by_id AND role = 'head_of_hr'\n                ) THEN\n                    RAISE EXCEPTION 'surveillance: only the Head of HR and OD may decide (7.2)'\n                        USING ERRCODE = 'check_violation';\n                END IF;\n                RETURN NEW;\n                ", hash='d147fc021c26930961b426609b86909db6e1c75d', operation='INSERT', pgid='pgtrigger_surveillance_decider_is_head_of_hr_7c40e', table='cases_surveillancedecision', when='BEFORE')),
        ),
    ]
