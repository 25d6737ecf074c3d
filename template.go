package goalbot

import "strings"

// MetricTemplate is a suggested key result: a metric, the unit its values are
// in, and whether lower is better.
type MetricTemplate struct {
	Metric     string // e.g. "Cost per click (CPC)"
	Unit       string // "$", "%", "followers", "min", "" for scores...
	Decreasing bool   // lower is better (CPC, CPM, bounce rate, response time, cost per lead...)
	Hint       string // one short line: how it is measured
}

// GoalTemplate is a goal type with its name, what it is for, and suggested
// key results.
type GoalTemplate struct {
	Type       string // one of GoalTypes
	Name       string // "Brand awareness"
	Summary    string // one sentence
	KeyResults []MetricTemplate
}

// Templates lists the ten templates of the social-media goal types, in the
// order of GoalTypes, each with 3-5 suggested key results. Callers must not
// modify it.
var Templates = []GoalTemplate{
	{
		Type:    "brand-awareness",
		Name:    "Brand awareness",
		Summary: "Get the brand seen and remembered by more of the right people.",
		KeyResults: []MetricTemplate{
			{"Reach", "people", false, "Unique accounts that saw your posts in the period."},
			{"Impressions", "impressions", false, "Times your posts were shown, repeats included."},
			{"Brand mentions", "mentions", false, "Posts that name or tag the brand, from social listening."},
			{"Share of voice", "%", false, "Your mentions as a share of all mentions of you and your competitors."},
			{"Followers", "followers", false, "Followers across your accounts at the end of the period."},
		},
	},
	{
		Type:    "reputation",
		Name:    "Reputation",
		Summary: "Improve what people think and say about the brand.",
		KeyResults: []MetricTemplate{
			{"Positive sentiment", "%", false, "Share of brand mentions that are positive, from social listening."},
			{"Negative mentions", "mentions", true, "Brand mentions tagged negative in the period."},
			{"Net Promoter Score (NPS)", "", false, "% promoters (9-10) minus % detractors (0-6) on \"would you recommend us?\"."},
			{"Average review rating", "stars", false, "Mean rating on review sites and your pages (1-5)."},
		},
	},
	{
		Type:    "community-engagement",
		Name:    "Community engagement",
		Summary: "Turn followers into a community that talks with you and with each other.",
		KeyResults: []MetricTemplate{
			{"Engagement rate", "%", false, "Likes, comments and shares divided by reach."},
			{"Amplification rate", "%", false, "Shares per post divided by followers."},
			{"Applause rate", "%", false, "Likes per post divided by followers."},
			{"Comments and replies", "comments", false, "Comments and replies on your posts in the period."},
			{"User-generated posts", "posts", false, "Posts by community members using your hashtag or tag."},
		},
	},
	{
		Type:    "conversions",
		Name:    "Conversions and sales",
		Summary: "Turn social traffic into sales at a lower cost.",
		KeyResults: []MetricTemplate{
			{"Conversion rate", "%", false, "Purchases or sign-ups divided by clicks from social (UTM-tagged)."},
			{"Click-through rate (CTR)", "%", false, "Link clicks divided by impressions."},
			{"Cost per click (CPC)", "$", true, "Ad spend divided by link clicks."},
			{"Cost per 1,000 impressions (CPM)", "$", true, "Ad spend divided by impressions, times 1,000."},
			{"Revenue from social", "$", false, "Sales attributed to social by UTM or platform attribution."},
		},
	},
	{
		Type:    "customer-insight",
		Name:    "Customer and market insight",
		Summary: "Learn what customers want and how the market talks, from social listening and surveys.",
		KeyResults: []MetricTemplate{
			{"Survey and poll responses", "responses", false, "Completed answers to polls and surveys run on social."},
			{"Poll response rate", "%", false, "Responses divided by people who saw the poll."},
			{"Mentions analysed", "mentions", false, "Customer and competitor mentions tagged by topic in listening."},
			{"Insights shared", "insights", false, "Documented insights handed to product, sales or marketing."},
		},
	},
	{
		Type:    "leads",
		Name:    "Lead generation",
		Summary: "Collect contact details of qualified prospects from social.",
		KeyResults: []MetricTemplate{
			{"Leads from social", "leads", false, "Form fills and sign-ups attributed to social."},
			{"Qualified leads", "leads", false, "Leads that sales or marketing accepted as qualified."},
			{"Cost per lead", "$", true, "Ad spend divided by leads."},
			{"Landing-page conversion rate", "%", false, "Leads divided by landing-page visits from social."},
			{"Landing-page bounce rate", "%", true, "Single-page visits divided by all visits from social."},
		},
	},
	{
		Type:    "customer-service",
		Name:    "Customer service",
		Summary: "Answer customers on social quickly and leave them satisfied.",
		KeyResults: []MetricTemplate{
			{"Customer satisfaction (CSAT)", "%", false, "Share of surveyed customers rating the answer 4 or 5 out of 5."},
			{"First response time", "min", true, "Median time from a customer's message to the first reply."},
			{"Resolution time", "hours", true, "Median time from the first message to a solved case."},
			{"Response rate", "%", false, "Questions and complaints answered divided by those received."},
		},
	},
	{
		Type:    "recruiting",
		Name:    "Recruiting",
		Summary: "Attract candidates through the employer brand on social.",
		KeyResults: []MetricTemplate{
			{"Applicants from social", "applicants", false, "Applications whose source is a social channel."},
			{"Careers-page visits from social", "visits", false, "Visits to the careers pages from social (UTM-tagged)."},
			{"Cost per applicant", "$", true, "Recruiting ad spend divided by applicants from social."},
			{"Employee shares", "shares", false, "Job and culture posts shared by employees."},
		},
	},
	{
		Type:    "crisis-management",
		Name:    "Crisis management",
		Summary: "Detect, answer and contain a crisis on social before it spreads.",
		KeyResults: []MetricTemplate{
			{"Time to first public response", "hours", true, "Time from the first alert to the brand's first public statement."},
			{"Negative sentiment", "%", true, "Share of brand mentions that are negative."},
			{"Negative mentions per day", "mentions", true, "Daily average of negative brand mentions."},
			{"Crisis mentions answered", "%", false, "Questions and complaints about the crisis answered divided by received."},
		},
	},
	{
		Type:    "internal-communication",
		Name:    "Internal communication",
		Summary: "Keep employees informed and engaged through internal and social channels.",
		KeyResults: []MetricTemplate{
			{"Announcement read rate", "%", false, "Employees who opened an announcement divided by recipients."},
			{"Internal engagement rate", "%", false, "Reactions, comments and shares on internal posts divided by views."},
			{"Employee Net Promoter Score (eNPS)", "", false, "% promoters minus % detractors on \"would you recommend working here?\"."},
			{"Employee advocacy shares", "shares", false, "Company posts shared by employees on their own accounts."},
		},
	},
}

// TemplateFor returns the template of goal type t (case-insensitive), and
// false for a type that is not one of GoalTypes.
func TemplateFor(t string) (GoalTemplate, bool) {
	for _, tpl := range Templates {
		if strings.EqualFold(tpl.Type, t) {
			return tpl, true
		}
	}
	return GoalTemplate{}, false
}
