package seedtest

// sgRule is one security-group rule of the seed.
type sgRule struct {
	addr     string // resource in the network module
	group    string // security group it belongs to
	port     int
	cidr     string // "0.0.0.0/0" or "" when the peer is a group
	peer     string // peer security group or ""
	incoming bool
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
}{
	envs: []envSpec{
		{
			name: "dev", vpcCIDR: "10.0.0.0/16",
			public: []string{"10.0.1.0/24", "10.0.2.0/24"}, private: []string{"10.0.11.0/24", "10.0.12.0/24"},
			cpu: "256", memory: "512", tasks: 1, minTasks: 1, maxTasks: 2, cpuTarget: 80, spot: true,
			rdsClass: "db.t3.micro",
		},
		{
			name: "staging", vpcCIDR: "10.1.0.0/16",
			public: []string{"10.1.1.0/24", "10.1.2.0/24"}, private: []string{"10.1.11.0/24", "10.1.12.0/24"},
			cpu: "512", memory: "1024", tasks: 2, minTasks: 2, maxTasks: 4, cpuTarget: 70, spot: true,
			rdsClass: "db.t3.small", multiAZ: true,
			cloudfront: true,
		},
		{
			name: "prod", vpcCIDR: "10.2.0.0/16",
			public: []string{"10.2.1.0/24", "10.2.2.0/24"}, private: []string{"10.2.11.0/24", "10.2.12.0/24"},
			cpu: "1024", memory: "2048", tasks: 3, minTasks: 3, maxTasks: 10, cpuTarget: 70, stepScaling: true,
			rdsClass: "db.t3.medium", multiAZ: true, replica: true, enhancedMon: true,
			cloudfront: true, waf: true, intTiering: true, blueGreen: true,
		},
	},

	appPort:          3001,
	drainSeconds:     25,
	healthPath:       "/readyz",
	healthInterval:   30,
	backupRetention:  35,
	glacierAfterDays: 90,
	stepUp:           [2]int{70, 2},
	stepDown:         [2]int{30, 5},
	rdsStorageGiB:    20,

	securityGroupRules: []sgRule{
		{addr: "aws_vpc_security_group_ingress_rule.alb_https", group: "alb", port: 443, cidr: "0.0.0.0/0", incoming: true},
		{addr: "aws_vpc_security_group_ingress_rule.alb_http", group: "alb", port: 80, cidr: "0.0.0.0/0", incoming: true},
		{addr: "aws_vpc_security_group_egress_rule.alb_to_ecs", group: "alb", port: 3001, peer: "ecs"},
		{addr: "aws_vpc_security_group_ingress_rule.ecs_from_alb", group: "ecs", port: 3001, peer: "alb", incoming: true},
		{addr: "aws_vpc_security_group_egress_rule.ecs_to_rds", group: "ecs", port: 5432, peer: "rds"},
		{addr: "aws_vpc_security_group_egress_rule.ecs_https_out", group: "ecs", port: 443, cidr: "0.0.0.0/0"},
		{addr: "aws_vpc_security_group_ingress_rule.rds_from_ecs", group: "rds", port: 5432, peer: "ecs", incoming: true},
	},

	alarms: []alarmSpec{
		{key: "ecs_cpu_high", namespace: "AWS/ECS", metric: "CPUUtilization", comparison: "GreaterThanThreshold", threshold: 90, period: 60, periods: 5},
		{key: "rds_cpu_high", namespace: "AWS/RDS", metric: "CPUUtilization", comparison: "GreaterThanThreshold", threshold: 85, period: 60, periods: 5},
		{key: "alb_5xx", comparison: "GreaterThanThreshold", threshold: 10, period: 60, periods: 1},
		{key: "rds_storage_low", namespace: "AWS/RDS", metric: "FreeStorageSpace", comparison: "LessThanThreshold", threshold: 0.10 * 20 * (1 << 30), period: 300, periods: 1},
		{key: "ecs_memory_high", namespace: "AWS/ECS", metric: "MemoryUtilization", comparison: "GreaterThanThreshold", threshold: 80, period: 60, periods: 5},
		{key: "api_latency_p99", namespace: "AWS/ApplicationELB", metric: "TargetResponseTime", comparison: "GreaterThanThreshold", threshold: 2, period: 60, periods: 5, extStat: "p99"},
		{key: "unhealthy_hosts", namespace: "AWS/ApplicationELB", metric: "UnHealthyHostCount", comparison: "GreaterThanThreshold", threshold: 0, period: 60, periods: 1},
	},
}
