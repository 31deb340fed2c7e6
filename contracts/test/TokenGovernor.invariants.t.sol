// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Reverts} from "./utils/Reverts.sol";
import {Test} from "./utils/Test.sol";
import {Vm} from "./utils/Vm.sol";
import {TagToken} from "../src/TagToken.sol";
import {TipRouter} from "../src/TipRouter.sol";
import {TokenFactory} from "../src/TokenFactory.sol";
import {TokenGovernor} from "../src/TokenGovernor.sol";
import {TokenSale} from "../src/TokenSale.sol";
import {TokenTagsForwarder} from "../src/TokenTagsForwarder.sol";
import {TokenTimelock} from "../src/TokenTimelock.sol";
import {VestingVault} from "../src/VestingVault.sol";

/**
 * @dev The governed platform as `deployPlatform` (contracts/ts/deploy.ts) sets it up, from its deployer (this
 * contract): forwarder, governance token, clone implementations, timelock, governor (non-zero proposal threshold),
 * factory and tip router administered by the timelock; the deployer then hands the token's roles to the timelock
 * and renounces every role it had. (`deployPlatform`'s demo vault and demo sale, which the deployer keeps to seed
 * schedules and to sell, are not part of the governed platform and are left out.) Then, at random: the deployer, a voter, a small holder, an outsider and a relayer
 * try every privileged function (each refused by its named error), and proposals run their whole lifecycle
 * (propose, vote, queue, execute) to change the factory fee, the tip fee or mint through the timelock.
 */
contract GovernanceHandler is Test {
    uint256 public constant SUPPLY = 1_000_000e18;
    uint256 public constant THRESHOLD = 1_000e18;
    uint256 public constant TIMELOCK_DELAY = 2 days;

    address public constant VOTER = address(0x7073);
    address public constant SMALL = address(0x5A11);
    address public constant OUTSIDER = address(0x0BAD);
    address public constant RELAYER = address(0x5E1A7);
    address public constant FEE_RECIPIENT = address(0xFEE);

    TokenTagsForwarder public forwarder;
    TagToken public token;
    TagToken public tokenImpl;
    VestingVault public vaultImpl;
    TokenSale public saleImpl;
    TokenTimelock public timelock;
    TokenGovernor public governor;
    TokenFactory public factory;
    TipRouter public router;

    uint256 public calls;
    /// @dev RoleGranted, RoleRevoked and RoleAdminChanged events emitted by any contract after the set-up.
    uint256 public roleEvents;
    uint256 public governed;
    uint256 public minted;
    mapping(bytes4 error => uint256) public refused;

    /// @dev Counts the actions and every role event any contract emits during them.
    modifier counted() {
        ++calls;
        vm.recordLogs();
        _;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            bytes32 topic = logs[i].topics.length > 0 ? logs[i].topics[0] : bytes32(0);
            if (
                topic == IAccessControl.RoleGranted.selector || topic == IAccessControl.RoleRevoked.selector
                    || topic == IAccessControl.RoleAdminChanged.selector
            ) ++roleEvents;
        }
    }

    constructor() {
        address deployer = address(this);
        forwarder = new TokenTagsForwarder();
        token = new TagToken("TokenTags Governance", "TAG", deployer, SUPPLY, address(forwarder));
        tokenImpl = new TagToken("TagToken implementation", "IMPL", address(0), 0, address(forwarder));
        vaultImpl = new VestingVault(IERC20(address(0)), address(0), address(forwarder));
        TokenSale.Config memory none;
        saleImpl = new TokenSale(address(forwarder), none);
        address[] memory proposers = new address[](0);
        address[] memory executors = new address[](1); // address(0): anyone executes after the delay
        timelock = new TokenTimelock(TIMELOCK_DELAY, proposers, executors, deployer);
        governor = new TokenGovernor(
            IVotes(address(token)), TimelockController(payable(timelock)), 1 days, 1 weeks, THRESHOLD, 4
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        factory = new TokenFactory(
            address(timelock),
            FEE_RECIPIENT,
            0.01 ether,
            TokenFactory.Implementations(address(tokenImpl), address(vaultImpl), address(saleImpl)),
            address(forwarder)
        );
        router = new TipRouter(address(timelock), FEE_RECIPIENT, 0, address(forwarder));
        // hand over: the timelock gets the token's roles, the deployer keeps none anywhere
        bytes32[3] memory tokenRoles = [token.DEFAULT_ADMIN_ROLE(), token.MINTER_ROLE(), token.PAUSER_ROLE()];
        for (uint256 i = 0; i < 3; ++i) {
            token.grantRole(tokenRoles[i], address(timelock));
        }
        for (uint256 i = 3; i > 0; --i) {
            token.renounceRole(tokenRoles[i - 1], deployer);
        }
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer);
        // votes: 10% to the voter (above the 4% quorum), a little to a holder below the proposal threshold
        token.transfer(VOTER, SUPPLY / 10);
        token.transfer(SMALL, THRESHOLD - 1);
        vm.prank(VOTER);
        token.delegate(VOTER);
        vm.prank(SMALL);
        token.delegate(SMALL);
        vm.warp(block.timestamp + 1);
    }

    function actions() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](4);
        selectors[0] = this.attack.selector;
        selectors[1] = this.attack.selector;
        selectors[2] = this.govern.selector;
        selectors[3] = this.warp.selector;
    }

    /// @dev Everyone but the timelock tries a privileged function; each must be refused by its named error.
    function attack(uint256 who, uint8 what) external counted {
        address[5] memory callers = [address(this), VOTER, SMALL, OUTSIDER, RELAYER];
        address caller = callers[who % 5];
        // proposing needs the threshold's votes: the voter has them (it proposes in govern, not here)
        if (what % 13 == 12 && caller == VOTER) caller = SMALL;
        (address target, bytes memory callData, bytes memory expected) = _attack(caller, what % 13);
        vm.prank(caller);
        (bool ok, bytes memory result) = target.call(callData);
        if (ok) revert Reverts.RevertsExpectedRevert(Reverts.selector(expected));
        Reverts.checkExact(result, expected);
        ++refused[Reverts.selector(expected)];
    }

    /// @dev A whole proposal lifecycle by the voter: the factory fee, the tip fee, or a mint by the timelock.
    function govern(uint8 kind, uint256 amount) external counted {
        address[] memory targets = new address[](1);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calldatas = new bytes[](1);
        if (kind % 3 == 0) {
            amount = bound(amount, 0, 1 ether);
            (targets[0], calldatas[0]) = (address(factory), abi.encodeCall(TokenFactory.setFee, (amount, FEE_RECIPIENT)));
        } else if (kind % 3 == 1) {
            amount = bound(amount, 0, router.MAX_FEE_BPS());
            (targets[0], calldatas[0]) =
                (address(router), abi.encodeCall(TipRouter.setFee, (uint16(amount), FEE_RECIPIENT)));
        } else {
            amount = bound(amount, 1, 1_000e18);
            (targets[0], calldatas[0]) = (address(token), abi.encodeCall(TagToken.mint, (OUTSIDER, amount)));
        }
        string memory description = string.concat("proposal ", vm.toString(governed));
        bytes32 descriptionHash = keccak256(bytes(description));
        vm.prank(VOTER);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        vm.prank(VOTER);
        governor.castVote(id, 1);
        vm.warp(block.timestamp + governor.votingPeriod());
        governor.queue(targets, values, calldatas, descriptionHash);
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        uint256 outsiderBalance = token.balanceOf(OUTSIDER);
        vm.prank(RELAYER); // anyone executes
        governor.execute(targets, values, calldatas, descriptionHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Executed));
        if (kind % 3 == 0) assertEq(factory.creationFee(), amount, "the factory fee as voted");
        if (kind % 3 == 1) assertEq(router.feeBps(), amount, "the tip fee as voted");
        if (kind % 3 == 2) {
            assertEq(token.balanceOf(OUTSIDER) - outsiderBalance, amount, "minted as voted");
            minted += amount;
        }
        ++governed;
    }

    function warp(uint256 seconds_) external counted {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }

    /// @dev The call `caller` tries for `what`, and the error it must get.
    function _attack(address caller, uint256 what)
        internal
        view
        returns (address target, bytes memory callData, bytes memory expected)
    {
        bytes4 unauthorized = IAccessControl.AccessControlUnauthorizedAccount.selector;
        bytes32 admin = bytes32(0);
        if (what == 0) {
            (target, callData) = (address(token), abi.encodeCall(IAccessControl.grantRole, (token.MINTER_ROLE(), caller)));
            expected = abi.encodeWithSelector(unauthorized, caller, admin);
        } else if (what == 1) {
            (target, callData) = (address(token), abi.encodeCall(TagToken.mint, (caller, 1)));
            expected = abi.encodeWithSelector(unauthorized, caller, token.MINTER_ROLE());
        } else if (what == 2) {
            (target, callData) = (address(token), abi.encodeCall(TagToken.pause, ()));
            expected = abi.encodeWithSelector(unauthorized, caller, token.PAUSER_ROLE());
        } else if (what == 3) {
            (target, callData) = (address(factory), abi.encodeCall(TokenFactory.setFee, (0, caller)));
            expected = abi.encodeWithSelector(unauthorized, caller, factory.FEE_MANAGER_ROLE());
        } else if (what == 4) {
            (target, callData) =
                (address(factory), abi.encodeCall(IAccessControl.grantRole, (factory.UPGRADER_ROLE(), caller)));
            expected = abi.encodeWithSelector(unauthorized, caller, admin);
        } else if (what == 5) {
            (target, callData) = (address(router), abi.encodeCall(TipRouter.setFee, (0, caller)));
            expected = abi.encodeWithSelector(unauthorized, caller, router.FEE_MANAGER_ROLE());
        } else if (what == 6) {
            (target, callData) =
                (address(timelock), abi.encodeCall(IAccessControl.grantRole, (timelock.PROPOSER_ROLE(), caller)));
            expected = abi.encodeWithSelector(unauthorized, caller, admin);
        } else if (what == 7) {
            (target, callData) = (
                address(timelock),
                abi.encodeCall(TimelockController.schedule, (address(token), 0, "", 0, 0, TIMELOCK_DELAY))
            );
            expected = abi.encodeWithSelector(unauthorized, caller, timelock.PROPOSER_ROLE());
        } else if (what == 8) {
            (target, callData) = (address(timelock), abi.encodeCall(TimelockController.updateDelay, (0)));
            expected = abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, caller);
        } else if (what == 9) {
            (target, callData) = (address(governor), abi.encodeWithSignature("setProposalThreshold(uint256)", 0));
            expected = abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, caller);
        } else if (what == 10) {
            // renouncing on someone else's behalf
            (target, callData) =
                (address(token), abi.encodeCall(IAccessControl.renounceRole, (admin, address(timelock))));
            expected = abi.encodeWithSelector(IAccessControl.AccessControlBadConfirmation.selector);
        } else if (what == 11) {
            (target, callData) = (address(factory), abi.encodeCall(TokenFactory.setOpenCreation, (false)));
            expected = abi.encodeWithSelector(unauthorized, caller, admin);
        } else {
            (target, callData, expected) = _smallProposal(caller);
        }
    }

    function _smallProposal(address caller)
        internal
        view
        returns (address target, bytes memory callData, bytes memory expected)
    {
        address[] memory targets = new address[](1);
        targets[0] = address(factory);
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(TokenFactory.setFee, (0, caller));
        target = address(governor);
        callData = abi.encodeCall(IGovernor.propose, (targets, new uint256[](1), calldatas, "take over"));
        uint256 votes = token.getVotes(caller);
        expected =
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, caller, votes, THRESHOLD);
    }
}

contract TokenGovernorInvariantTest is Test {
    GovernanceHandler internal handler;

    function setUp() public {
        handler = new GovernanceHandler();
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), handler.actions()));
    }

    /// @dev No role was granted, revoked or re-administered after the set-up, on any contract, by anyone (checked
    /// after every call; the full role table below is checked after the set-up and at the end of every run); the
    /// governance settings hold (one campaign: each invariant_ function runs runs x depth calls of its own).
    function invariant_NoRoleChangesHands() public view {
        assertEq(handler.roleEvents(), 0, "a role changed hands after the set-up");
        _governanceSettings();
    }

    function afterInvariant() public view {
        _onlyTheTimelockHoldsPrivilege();
        if (handler.calls() < MIN_CALLS) return;
        assertGt(handler.governed(), 0, "no proposal executed in the run");
        assertGt(
            handler.refused(IAccessControl.AccessControlUnauthorizedAccount.selector), 0, "no attempt refused in the run"
        );
    }

    /// @dev Right after the set-up, the same table as at the end of every run.
    function test_SetUp_OnlyTheTimelockHoldsPrivilege() public view {
        _onlyTheTimelockHoldsPrivilege();
    }

    /// @dev Every role of every contract the set-up created is held by the timelock alone; the only exceptions are
    /// the governance wiring itself: the governor proposes and cancels on the timelock, anyone (`address(0)`)
    /// executes after the delay.
    function _onlyTheTimelockHoldsPrivilege() internal view {
        address timelock = address(handler.timelock());
        address governor = address(handler.governor());
        address[11] memory accounts = [
            address(handler), // the deployer
            handler.VOTER(),
            handler.SMALL(),
            handler.OUTSIDER(),
            handler.RELAYER(),
            governor,
            address(handler.forwarder()),
            address(handler.factory()),
            address(handler.router()),
            address(handler.token()),
            address(0)
        ];
        TagToken token = handler.token();
        _only(IAccessControl(address(token)), token.DEFAULT_ADMIN_ROLE(), timelock, accounts);
        _only(IAccessControl(address(token)), token.MINTER_ROLE(), timelock, accounts);
        _only(IAccessControl(address(token)), token.PAUSER_ROLE(), timelock, accounts);
        TokenFactory factory = handler.factory();
        _only(IAccessControl(address(factory)), factory.DEFAULT_ADMIN_ROLE(), timelock, accounts);
        _only(IAccessControl(address(factory)), factory.FEE_MANAGER_ROLE(), timelock, accounts);
        _only(IAccessControl(address(factory)), factory.UPGRADER_ROLE(), timelock, accounts);
        _none(IAccessControl(address(factory)), factory.CREATOR_ROLE(), accounts, timelock);
        TipRouter router = handler.router();
        _only(IAccessControl(address(router)), router.DEFAULT_ADMIN_ROLE(), timelock, accounts);
        _only(IAccessControl(address(router)), router.FEE_MANAGER_ROLE(), timelock, accounts);
        TokenTimelock tl = handler.timelock();
        _only(IAccessControl(timelock), tl.DEFAULT_ADMIN_ROLE(), timelock, accounts);
        _only(IAccessControl(timelock), tl.PROPOSER_ROLE(), governor, accounts);
        _only(IAccessControl(timelock), tl.CANCELLER_ROLE(), governor, accounts);
        _only(IAccessControl(timelock), tl.EXECUTOR_ROLE(), address(0), accounts);
        // the clone implementations are administered by nobody
        TagToken tokenImpl = handler.tokenImpl();
        VestingVault vaultImpl = handler.vaultImpl();
        TokenSale saleImpl = handler.saleImpl();
        _none(IAccessControl(address(tokenImpl)), tokenImpl.DEFAULT_ADMIN_ROLE(), accounts, timelock);
        _none(IAccessControl(address(tokenImpl)), tokenImpl.MINTER_ROLE(), accounts, timelock);
        _none(IAccessControl(address(vaultImpl)), vaultImpl.DEFAULT_ADMIN_ROLE(), accounts, timelock);
        _none(IAccessControl(address(vaultImpl)), vaultImpl.ADMIN_ROLE(), accounts, timelock);
        _none(IAccessControl(address(saleImpl)), saleImpl.DEFAULT_ADMIN_ROLE(), accounts, timelock);
        _none(IAccessControl(address(saleImpl)), saleImpl.SALE_ADMIN_ROLE(), accounts, timelock);
    }

    /// @dev Proposing always needs votes; the supply grows only by votes; the timelock delay is unchanged.
    function _governanceSettings() internal view {
        assertEq(handler.governor().proposalThreshold(), handler.THRESHOLD(), "non-zero proposal threshold");
        assertEq(handler.token().totalSupply(), handler.SUPPLY() + handler.minted(), "minted only by votes");
        assertEq(handler.timelock().getMinDelay(), handler.TIMELOCK_DELAY());
    }

    /// @dev `role` of `target` is held by `holder` and by none of `accounts` but `holder`.
    function _only(IAccessControl target, bytes32 role, address holder, address[11] memory accounts) internal view {
        assertTrue(target.hasRole(role, holder), "the designated holder has the role");
        for (uint256 i = 0; i < accounts.length; ++i) {
            if (accounts[i] != holder) assertFalse(target.hasRole(role, accounts[i]), "no one else has the role");
        }
    }

    function _none(IAccessControl target, bytes32 role, address[11] memory accounts, address timelock) internal view {
        assertFalse(target.hasRole(role, timelock), "not even the timelock");
        for (uint256 i = 0; i < accounts.length; ++i) {
            assertFalse(target.hasRole(role, accounts[i]), "nobody has the role");
        }
    }
}
