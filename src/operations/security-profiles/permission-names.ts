// The permission names AWS documents, as ListSecurityProfilePermissions returns them, by the
// sections of "List of security profile permissions"
// (https://docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html). The
// default profiles are built from these lists (default-profiles.ts).
//
// They are not an allow-list for requests: the page itself leaves some API names blank
// ("Email addresses", "Message templates", "Campaigns - View") and documents third-party
// application permissions as `<application name>.Access`, so AWS necessarily accepts names that
// no fixed list holds (README, "Fidelity notes"; rules.ts checks their shape instead).

const actions = (resource: string, ...verbs: string[]) => verbs.map((v) => `${resource}.${v}`);

export const AMAZON_Q = [
  ...actions("QConnectAIAgents", "View", "Edit", "Create", "Delete"),
  ...actions("QConnectAIPrompts", "View", "Edit", "Create", "Delete"),
  ...actions("QConnectGuardrails", "View", "Edit", "Create", "Delete"),
];

export const ROUTING = [
  ...actions("RoutingPolicies", "Create", "Edit", "View"),
  ...actions("TransferDestinations", "Create", "Delete", "Edit", "View"),
  ...actions("HoursOfOperation", "Create", "Delete", "Edit", "View"),
  ...actions("Queues", "Create", "Edit", "EnableAndDisable", "View"),
  ...actions("TaskTemplates", "Create", "Delete", "Edit", "View"),
  ...actions("PredefinedAttributes", "View", "Edit", "Create", "Delete"),
  ...actions("DataTables", "Create", "Delete", "Edit", "View", "ManageValues", "EditExpressionValues"),
];

export const CHANNELS_AND_FLOWS = [
  ...actions("Prompts", "Create", "Delete", "Edit", "View"),
  ...actions("ContactFlows", "Create", "Delete", "Edit", "Publish", "View"),
  ...actions("ContactFlowModules", "Create", "Delete", "Edit", "Publish", "View"),
  ...actions("Bots", "Create", "View", "Edit", "Delete"),
  ...actions("PhoneNumbers", "Claim", "Edit", "Release", "View"),
  "ChatTestMode",
  ...actions("Views", "View", "Edit", "Create", "Remove"),
  ...actions("AnalyticsConnectors", "Edit", "View"),
];

export const USERS_AND_PERMISSIONS = [
  ...actions("Users", "Create", "Delete", "Edit", "EditPermission", "View"),
  ...actions("AgentGrouping", "Create", "Edit", "EnableAndDisable", "View"),
  ...actions("SecurityProfiles", "Create", "Delete", "Edit", "View"),
  ...actions("AgentStates", "Create", "Edit", "EnableAndDisable", "View"),
  ...actions("Workspaces", "Create", "Delete", "Edit", "View", "Assign", "EditVisibility"),
];

export const CONTACT_CONTROL_PANEL = [
  "BasicAgentAccess",
  "RealtimeContactLens.View",
  "OutboundCallAccess",
  "VoiceId.Access",
  "RestrictTaskCreation.Access",
  "RestrictPhoneTypeSettings.Access",
  "AudioDeviceSettings.Access",
  "VideoContact.Access",
  "OutboundEmail.Create",
  "SelfAssignContacts.Access",
  "RequireEndContactConfirmation.Enabled",
];

/** The metrics pages and dashboards (the first rows of "Analytics and Optimization"). */
export const METRICS = [
  "AccessMetrics",
  "AccessMetrics.RealTimeMetrics.Access",
  "AccessMetrics.HistoricalMetrics.Access",
  "AccessMetrics.AgentActivityAudit.Access",
  "AccessMetrics.Dashboards.Access",
  "AccessMetrics.DashboardsWithMyData.View",
];

export const ANALYTICS_AND_OPTIMIZATION = [
  ...METRICS,
  ...actions("CustomMetrics", "Create", "View", "Edit", "Delete", "Publish"),
  "ContactSearch.View",
  "MyContacts.View",
  "ContactSearchSampleContacts.View",
  ...actions("ContactSearchWithCharacteristics", "Access", "View"),
  ...actions("ContactSearchWithKeywords", "Access", "View"),
  "ConfigureContactAttributes.View",
  "RestrictContactAccessByHierarchy.View",
  "ContactAttributes.View",
  "GraphTrends.View",
  ...actions("InformationExtraction.Definitions", "Create", "View", "Edit", "Delete"),
  "InformationExtraction.Results.View",
  "ContactLensPostContactSummary.View",
  ...actions("ContactLensCustomVocabulary", "Edit", "View"),
  ...actions("ThemeDetection", "Create", "View", "Delete"),
  ...actions("Rules", "Create", "Delete", "Edit", "View"),
  ...actions("RulesGenerativeAI", "Create", "View", "Edit", "Delete"),
  "AgentTimeCard.View",
  "ManagerListenIn",
  "ManagerBargeIn",
  ...actions("MetricsReports", "View", "Create", "Share", "Edit", "Delete", "Publish", "Schedule"),
  ...actions("ReportSchedules", "Create", "Delete", "Edit", "View"),
  ...actions("ReportsAdmin", "View", "Delete"),
  ...actions("Evaluation", "Create", "View", "Edit", "Delete"),
  "MyReceivedEvaluations.View",
  ...actions("EvaluationForms", "Create", "View", "Edit", "Delete"),
  "EvaluationAssistant.Access",
  ...actions("EvaluationCalibrationSessions", "Create", "Delete", "Edit", "View"),
  ...actions("MyCoachingSessions", "View", "Create", "Delete", "Edit"),
  ...actions("CoachingSessions", "Create", "Delete", "Edit", "View"),
  ...actions("EvaluationReviews", "Create", "View"),
  ...actions("EvaluationReviewRequest", "View", "Create", "Delete"),
  "VoiceIdAttributesAndSearch.View",
  ...actions("Forecasting", "View", "Edit", "Publish"),
  ...actions("Capacity", "View", "Edit", "Publish"),
  ...actions("ForecastScheduleInterval", "Edit", "View"),
];

export const RECORDINGS_AND_TRANSCRIPTS = [
  "CallRecordings.Unredacted.Access",
  "CallRecordings.Redacted.Access",
  "ContactTranscripts.Unredacted.Access",
  // The page prints ContactTranscripts.Unredacted.Access in the "Contact transcripts (redacted)"
  // row too; the redacted permission is its counterpart.
  "ContactTranscripts.Redacted.Access",
  "CallRecordings.Unredacted.DownloadButton",
  "CallRecordings.Redacted.DownloadButton",
  "ContactTranscripts.Unredacted.DownloadButton",
  "DeleteCallRecordings",
  "ScreenRecording.Access",
  "ScreenRecording.Redacted.Access",
  "ScreenRecording.Redacted.Download",
  "AutomatedVoiceInteraction.Recordings.Unredacted.Access",
  "AutomatedVoiceInteraction.Recordings.Unredacted.DownloadButton",
  "AutomatedVoiceInteraction.Transcripts.Unredacted.Access",
];

export const CONTACT_ACTIONS = [
  "ManualAssignAnyContact.Enable",
  "ManualAssignMyContacts.Enable",
  "TransferContact.Enabled",
  "StopContact.Enabled",
  "UpdateContactSchedule.Enabled",
  "Contacts.Tag.Edit",
];

export const HISTORICAL_CHANGES = ["HistoricalChanges.View"];

export const CUSTOMER_PROFILES = [
  ...actions("CustomerProfiles", "Create", "Edit", "View"),
  ...actions("CustomerProfiles.CalculatedAttributes", "Create", "Edit", "Delete", "View"),
  ...actions("CustomerProfiles.Segments", "View", "Create", "Delete", "Export"),
  ...actions("CustomerProfiles.ProfileExplorer", "View", "Create", "Edit", "Delete"),
];

export const SCHEDULING = [
  ...actions("Scheduling", "View", "Edit", "Publish"),
  ...actions("TimeOff", "Approve", "Edit", "View"),
  ...actions("TimeOffBalance", "Edit", "View"),
  ...actions("TeamCalendar", "View", "Edit"),
];

export const AGENT_APPLICATIONS = [
  ...actions("StaffCalendar", "View", "Edit"),
  "CustomViews.Access",
  "Wisdom.View",
  "Analytics.PerformanceMetrics.Access",
];

export const CONTENT_MANAGEMENT = actions("ContentManagement", "Create", "Edit", "View", "Delete");

export const CASES = [
  "CaseHistory.View",
  ...actions("Cases", "Create", "View", "Edit", "Delete"),
  ...actions("CaseFields", "Create", "View", "Edit"),
  ...actions("CaseTemplates", "Create", "View", "Edit"),
  "MyCases.Delete",
  ...actions("CaseComments", "Edit", "Delete"),
  ...actions("MyCaseComments", "Edit", "Delete"),
  ...actions("CaseCustomRelatedItems", "Edit", "Delete"),
  ...actions("MyCaseCustomRelatedItems", "Edit", "Delete"),
  "CaseContacts.Delete",
  "MyCaseContacts.Delete",
  "CaseFiles.Delete",
];

/** "Outbound Campaigns": the page prints only these three API names. */
export const OUTBOUND_CAMPAIGNS = actions("Campaigns", "Create", "Delete", "Edit");

/** "Legacy permissions": no longer on the admin website, still accepted by the API. */
export const LEGACY = ["RedactedData.View", "ListenCallRecordings", "DownloadCallRecordings"];

/** Every current (non-legacy) permission the page lists, in its order, without repeats. */
export const DOCUMENTED_PERMISSIONS: readonly string[] = [
  ...new Set([
    ...AMAZON_Q,
    ...ROUTING,
    ...CHANNELS_AND_FLOWS,
    ...USERS_AND_PERMISSIONS,
    ...CONTACT_CONTROL_PANEL,
    ...ANALYTICS_AND_OPTIMIZATION,
    ...RECORDINGS_AND_TRANSCRIPTS,
    ...CONTACT_ACTIONS,
    ...HISTORICAL_CHANGES,
    ...CUSTOMER_PROFILES,
    ...SCHEDULING,
    ...AGENT_APPLICATIONS,
    ...CONTENT_MANAGEMENT,
    ...CASES,
    ...OUTBOUND_CAMPAIGNS,
  ]),
];
