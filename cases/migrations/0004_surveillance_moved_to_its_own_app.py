"""Covert surveillance now lives in the surveillance app (its 0001 takes over the same tables).

The old copies of the triggers, named after this app, are dropped; the models leave this app's state only,
so the tables and their rows stay where they are.
"""
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_merge_20261126_0958'),
        ('surveillance', '0001_initial'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='surveillancerequest',
            name='surveillance_a_edit_voids_approval',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='surveillancerequest',
            name='surveillance_b_approver_is_head_of_hr',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='surveillanceobservation',
            name='surveillance_observation_append_only',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='surveillanceobservation',
            name='surveillance_observation_in_window',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='surveillancedecision',
            name='surveillance_decision_append_only',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='surveillancedecision',
            name='surveillance_decider_is_head_of_hr',
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='surveillanceobservation',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='surveillanceobservation',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='surveillancerequest',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='surveillancerequest',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='surveillancerequest',
                    name='closed_by',
                ),
                migrations.RemoveField(
                    model_name='surveillancerequest',
                    name='requested_by',
                ),
                migrations.DeleteModel(
                    name='SurveillanceDecision',
                ),
                migrations.DeleteModel(
                    name='SurveillanceObservation',
                ),
                migrations.DeleteModel(
                    name='SurveillanceRequest',
                ),
            ],
            database_operations=[],
        ),
    ]
