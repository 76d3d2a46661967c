package seedtest

// sgRule is one security-group rule of the seed (or, with module set, one
// the platform adds beyond it).
type sgRule struct {
	module   string // "" = network
	addr     string // resource in the module
	group    string // security group it belongs to ("alb", or "rds.aws_security_group.rotation" style for another module's group)
	port     int
	cidr     string // "0.0.0.0/0" or "" when the peer is a group
	peer     string // peer security group or ""
	incoming bool
	// Where CloudFront fronts the ALB: edge says what becomes of the rule:
	// "prefix-list" (443 from CloudFront's origin-facing list only) or
	// "absent" (no port 80 from the internet).
	edge string
}

// alarmSpec is one of the seed's seven CloudWatch alarms.
type alarmSpec struct {
	key        string // resource name in the monitoring module
	namespace  string
	metric     string
	comparison string
	threshold  float64
	period     int // seconds
	periods    int // evaluation periods
	extStat    string
	stat       string // statistic of the metric-math queries
}

type envSpec struct {
	name                          string
	vpcCIDR                       string
	public, private               []string
	cpu, memory                   string
	tasks, minTasks, maxTasks     int
	cpuTarget                     float64
	spot                          bool
	stepScaling                   bool
	rdsClass                      string
	multiAZ, replica, enhancedMon bool
	cloudfront, waf, intTiering   bool
	blueGreen                     bool
	traceRatio                    float64 // OTEL_TRACES_SAMPLER_ARG (issue 18)
}

// seed mirrors shared/seed/aws-architecture.md: the one table the tests
// read. Per-environment values in envs; values the seed states once for all
// environments in the other fields.
var seed = struct {
	envs []envSpec

	appPort            int
	drainSeconds       int // the app's SIGTERM drain; stopTimeout and deregistration exceed it
	healthPath         string
	healthInterval     int
	backupRetention    int
	glacierAfterDays   int
	stepUp, stepDown   [2]int // threshold %, minutes
	securityGroupRules []sgRule
	alarms             []alarmSpec
	rdsStorageGiB      int
	// prodDeployMinutes bounds a prod deploy job: snapshot (≤ 15), image
	// build and scan (≤ 15), migrations (≤ 5), CodeDeploy's replacement
	// tasks, 5-minute canary and 15-minute blue hold (≤ 30), web publish
	// and smoke test (≤ 10), with a margin.
	prodDeployMinutes int
}{
	envs: []envSpec{
		{
			name: "dev", vpcCIDR: "10.0.0.0/16",
			public: []string{"10.0.1.0/24", "10.0.2.0/24"}, private: []string{"10.0.11.0/24", "10.0.12.0/24"},
			cpu: "256", memory: "512", tasks: 1, minTasks: 1, maxTasks: 2, cpuTarget: 80, spot: true,
			rdsClass: "db.t3.micro", traceRatio: 1.0,
		},
		{
			name: "staging", vpcCIDR: "10.1.0.0/16",
			public: []string{"10.1.1.0/24", "10.1.2.0/24"}, private: []string{"10.1.11.0/24", "10.1.12.0/24"},
			cpu: "512", memory: "1024", tasks: 2, minTasks: 2, maxTasks: 4, cpuTarget: 70, spot: true,
			rdsClass: "db.t3.small", multiAZ: true,
			cloudfront: true, traceRatio: 0.5,
		},
		{
			name: "prod", vpcCIDR: "10.2.0.0/16",
			public: []string{"10.2.1.0/24", "10.2.2.0/24"}, private: []string{"10.2.11.0/24", "10.2.12.0/24"},
			cpu: "1024", memory: "2048", tasks: 3, minTasks: 3, maxTasks: 10, cpuTarget: 70, stepScaling: true,
			rdsClass: "db.t3.medium", multiAZ: true, replica: true, enhancedMon: true,
			cloudfront: true, waf: true, intTiering: true, blueGreen: true, traceRatio: 0.05,
		},
	},

	appPort:          3001,
	drainSeconds:     25,
	healthPath:       "/healthz", // liveness: a database blip must not take every task out (issue 20 item 9)
	healthInterval:   30,
	backupRetention:  35,
	glacierAfterDays: 90,
	stepUp:           [2]int{70, 2},
	stepDown:         [2]int{30, 5},
	rdsStorageGiB:    20,

	prodDeployMinutes: 100,

	securityGroupRules: []sgRule{
		{addr: "aws_vpc_security_group_ingress_rule.alb_https", group: "alb", port: 443, cidr: "0.0.0.0/0", incoming: true, edge: "prefix-list"},
		{addr: "aws_vpc_security_group_ingress_rule.alb_http[0]", group: "alb", port: 80, cidr: "0.0.0.0/0", incoming: true, edge: "absent"},
		{addr: "aws_vpc_security_group_egress_rule.alb_to_ecs", group: "alb", port: 3001, peer: "ecs"},
		{addr: "aws_vpc_security_group_ingress_rule.ecs_from_alb", group: "ecs", port: 3001, peer: "alb", incoming: true},
		{addr: "aws_vpc_security_group_egress_rule.ecs_to_rds", group: "ecs", port: 5432, peer: "rds"},
		{addr: "aws_vpc_security_group_egress_rule.ecs_https_out", group: "ecs", port: 443, cidr: "0.0.0.0/0"},
		{addr: "aws_vpc_security_group_ingress_rule.rds_from_ecs", group: "rds", port: 5432, peer: "ecs", incoming: true},
		// Beyond the seed: the master secret's rotation function (modules/rds/secret.tf).
		{module: "rds", addr: "aws_vpc_security_group_egress_rule.rotation_to_rds", group: "rotation", port: 5432, peer: "var.security_group_id"},
		{module: "rds", addr: "aws_vpc_security_group_egress_rule.rotation_https", group: "rotation", port: 443, cidr: "0.0.0.0/0"},
		{module: "rds", addr: "aws_vpc_security_group_ingress_rule.rds_from_rotation", group: "var.security_group_id", port: 5432, peer: "rotation", incoming: true},
	},

	alarms: []alarmSpec{
		{key: "ecs_cpu_high", namespace: "AWS/ECS", metric: "CPUUtilization", comparison: "GreaterThanThreshold", threshold: 90, period: 60, periods: 5},
		{key: "rds_cpu_high", namespace: "AWS/RDS", metric: "CPUUtilization", comparison: "GreaterThanThreshold", threshold: 85, period: 60, periods: 5},
		{key: "alb_5xx", comparison: "GreaterThanThreshold", threshold: 10, period: 60, periods: 1, stat: "Sum"},
		{key: "rds_storage_low", namespace: "AWS/RDS", metric: "FreeStorageSpace", comparison: "LessThanThreshold", threshold: 0.10 * 20 * (1 << 30), period: 300, periods: 1},
		{key: "ecs_memory_high", namespace: "AWS/ECS", metric: "MemoryUtilization", comparison: "GreaterThanThreshold", threshold: 80, period: 60, periods: 5},
		{key: "api_latency_p99", namespace: "AWS/ApplicationELB", metric: "TargetResponseTime", comparison: "GreaterThanThreshold", threshold: 2, period: 60, periods: 5, extStat: "p99"},
		{key: "unhealthy_hosts", comparison: "GreaterThanThreshold", threshold: 0, period: 60, periods: 1, stat: "Maximum"}, // metric math over every target group
	},
}
