// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {Platform} from "./utils/Platform.sol";
import {Reverts} from "./utils/Reverts.sol";
import {Test} from "./utils/Test.sol";
import {TagToken} from "../src/TagToken.sol";
import {TokenFactory} from "../src/TokenFactory.sol";
import {TokenSale} from "../src/TokenSale.sol";
import {TokenTagsForwarder} from "../src/TokenTagsForwarder.sol";
import {VestingVault} from "../src/VestingVault.sol";

/**
 * @dev Creates tokens through the {TokenFactory} at random (three creators, directly or through the forwarder, with
 * a vault and a sale or not, a few salts so that some repeat, the exact fee or one wei off), changes the fee and the
 * allow-list as the timelock, lets strangers try the same, and withdraws fees. Every outcome is predicted.
 */
contract FactoryHandler is Platform {
    struct Created {
        address creator;
        TagToken token;
        VestingVault vault;
        TokenSale sale;
    }

    address public constant RELAYER = address(0x5E1A7);
    address public constant STRANGER = address(0x5757);

    address[3] public creators;
    uint256[3] internal _keys;
    Created[] internal _created;
    mapping(address creator => mapping(bytes32 salt => bool)) internal _saltUsed;

    uint256 public calls;
    uint256 public feesPaid;
    uint256 public created;
    mapping(bytes4 error => uint256) public refused;

    modifier counted() {
        ++calls;
        _;
    }

    constructor() {
        setUp();
        for (uint256 i = 0; i < 3; ++i) {
            (creators[i], _keys[i]) = makeAddrAndKey(string.concat("creator", vm.toString(i)));
        }
        // creator 0 may create while creation is limited to the allow-list
        vm.startPrank(address(timelock));
        factory.grantRole(factory.CREATOR_ROLE(), creators[0]);
        vm.stopPrank();
    }

    function actions() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](6);
        selectors[0] = this.create.selector;
        selectors[1] = this.create.selector;
        selectors[2] = this.setFee.selector;
        selectors[3] = this.setOpenCreation.selector;
        selectors[4] = this.withdrawFees.selector;
        selectors[5] = this.strangerTakesOver.selector;
    }

    function factoryContract() external view returns (TokenFactory) {
        return factory;
    }

    function platform() external view returns (address timelock_, address feeRecipient_, address forwarder_) {
        return (address(timelock), feeRecipient, address(forwarder));
    }

    function createdCount() external view returns (uint256) {
        return _created.length;
    }

    function createdAt(uint256 i) external view returns (Created memory) {
        return _created[i];
    }

    /// @dev Creates a token; `mode` picks the fee paid (exact, one wei short, one wei over), the path (direct or
    /// through the forwarder, the relayer paying) and whether a vault and a sale come with it.
    function create(uint256 who, uint8 saltSeed, uint8 mode, uint96 creatorAmount) external counted {
        // while creation is closed, mostly the allow-listed creator 0 tries, so that runs keep creating
        if (!factory.openCreation() && mode % 4 != 3) who = 0;
        address creator = creators[who % 3];
        bytes32 salt = bytes32(uint256(saltSeed % 8));
        uint256 fee = factory.creationFee();
        uint256 value = mode % 8 == 0 ? fee + 1 : mode % 8 == 1 && fee > 0 ? fee - 1 : fee;
        bool forwarded = mode / 8 % 2 == 1;
        bytes memory expected = _expectedCreateError(creator, salt, value, fee);
        bytes memory callData = abi.encodeCall(
            TokenFactory.createToken, (_tokenParams(creatorAmount), _vesting(mode), _sale(mode), salt)
        );
        (bool ok, bytes memory result) =
            forwarded ? _forward(who % 3, callData, value) : _direct(creator, callData, value);
        if (expected.length != 0) {
            if (ok) revert Reverts.RevertsExpectedRevert(Reverts.selector(expected));
            // through the forwarder, a failed call surfaces as the forwarder's FailedCall
            Reverts.checkExact(result, forwarded ? abi.encodeWithSelector(Errors.FailedCall.selector) : expected);
            ++refused[Reverts.selector(expected)];
            return;
        }
        if (!ok) Reverts.bubble(result);
        _checkCreated(creator, salt, mode, forwarded ? bytes("") : result);
        feesPaid += fee;
    }

    /// @dev The error a creation must revert with (empty: it must succeed), in the order the factory checks.
    function _expectedCreateError(address creator, bytes32 salt, uint256 value, uint256 fee)
        internal
        view
        returns (bytes memory)
    {
        if (!factory.openCreation() && !factory.hasRole(factory.CREATOR_ROLE(), creator)) {
            return abi.encodeWithSelector(TokenFactory.TokenFactoryNotAllowed.selector, creator);
        }
        if (value != fee) return abi.encodeWithSelector(TokenFactory.TokenFactoryWrongFee.selector, value, fee);
        if (_saltUsed[creator][salt]) return abi.encodeWithSelector(Errors.FailedDeployment.selector);
        return "";
    }

    /// @dev The clones are at the addresses predicted for (salt, creator), exist, and are recorded for the invariants.
    /// `result` is createToken's return data (empty through the forwarder, which returns nothing).
    function _checkCreated(address creator, bytes32 salt, uint8 mode, bytes memory result) internal {
        (address pt, address pv, address ps) = factory.predictAddresses(salt, creator);
        pv = mode % 2 == 0 ? pv : address(0);
        ps = mode / 2 % 2 == 0 ? ps : address(0);
        assertEq(factory.predictTokenAddress(salt, creator), pt);
        if (result.length != 0) {
            (address t, address v, address s) = abi.decode(result, (address, address, address));
            assertEq(t, pt, "token at the predicted address");
            assertEq(v, pv, "vault at the predicted address (or none)");
            assertEq(s, ps, "sale at the predicted address (or none)");
        }
        assertTrue(pt.code.length > 0, "the token exists");
        assertTrue(pv == address(0) || pv.code.length > 0, "the vault exists");
        assertTrue(ps == address(0) || ps.code.length > 0, "the sale exists");
        assertEq(factory.versionOf(pt), 1);
        _saltUsed[creator][salt] = true;
        ++created;
        _created.push(Created(creator, TagToken(pt), VestingVault(pv), TokenSale(payable(ps))));
    }

    /// @dev The fee manager (the timelock) sets a fee; the exact amount must then be paid. A fee above the bound is
    /// refused by name and changes nothing.
    function setFee(uint256 fee) external counted {
        fee = bound(fee, 0, 2 * factory.MAX_CREATION_FEE());
        uint256 before = factory.creationFee();
        vm.prank(address(timelock));
        try factory.setFee(fee, feeRecipient) {
            if (fee > factory.MAX_CREATION_FEE()) {
                revert Reverts.RevertsExpectedRevert(TokenFactory.TokenFactoryFeeTooHigh.selector);
            }
        } catch (bytes memory reason) {
            if (fee <= factory.MAX_CREATION_FEE()) Reverts.bubble(reason);
            Reverts.checkExact(
                reason,
                abi.encodeWithSelector(TokenFactory.TokenFactoryFeeTooHigh.selector, fee, factory.MAX_CREATION_FEE())
            );
            assertEq(factory.creationFee(), before, "a refused fee changes nothing");
            ++refused[TokenFactory.TokenFactoryFeeTooHigh.selector];
        }
    }

    function setOpenCreation(bool open) external counted {
        vm.prank(address(timelock));
        factory.setOpenCreation(open);
    }

    function withdrawFees() external counted {
        uint256 held = address(factory).balance;
        uint256 before = feeRecipient.balance;
        vm.prank(STRANGER); // anyone may push the fees to the recipient
        assertEq(factory.withdrawFees(), held);
        assertEq(feeRecipient.balance - before, held, "fees go to the recipient only");
    }

    /// @dev A stranger (or a creator) tries every privileged factory function: each refused by name.
    function strangerTakesOver(uint256 who, uint8 what) external counted {
        address caller = who % 4 == 3 ? STRANGER : creators[who % 3];
        bytes32 role;
        bytes memory callData;
        if (what % 4 == 0) {
            (role, callData) = (factory.FEE_MANAGER_ROLE(), abi.encodeCall(TokenFactory.setFee, (0, caller)));
        } else if (what % 4 == 1) {
            (role, callData) = (factory.DEFAULT_ADMIN_ROLE(), abi.encodeCall(TokenFactory.setOpenCreation, (true)));
        } else if (what % 4 == 2) {
            TokenFactory.Implementations memory impl = TokenFactory.Implementations(caller, caller, caller);
            (role, callData) = (factory.UPGRADER_ROLE(), abi.encodeCall(TokenFactory.registerImplementations, (impl)));
        } else {
            role = factory.DEFAULT_ADMIN_ROLE();
            callData = abi.encodeCall(IAccessControl.grantRole, (factory.FEE_MANAGER_ROLE(), caller));
        }
        vm.prank(caller);
        (bool ok, bytes memory result) = address(factory).call(callData);
        if (ok) revert Reverts.RevertsExpectedRevert(IAccessControl.AccessControlUnauthorizedAccount.selector);
        Reverts.checkExact(
            result, abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role)
        );
        ++refused[IAccessControl.AccessControlUnauthorizedAccount.selector];
    }

    // --- helpers ---

    function _vesting(uint8 mode) internal pure returns (TokenFactory.VestingParams memory vesting) {
        if (mode % 2 == 0) vesting = TokenFactory.VestingParams(true, keccak256("root"), 1_000e18);
    }

    function _sale(uint8 mode) internal view returns (TokenFactory.SaleParams memory sale) {
        if (mode / 2 % 2 == 0) {
            uint64 now_ = uint64(block.timestamp);
            sale = TokenFactory.SaleParams(true, address(0), 1e15, now_, now_ + 1 days, 2_000e18, 100e18);
        }
    }

    function _direct(address creator, bytes memory callData, uint256 value) internal returns (bool, bytes memory) {
        vm.deal(creator, value);
        vm.prank(creator);
        return address(factory).call{value: value}(callData);
    }

    /// @dev Relays `callData` signed by creator `who`; the relayer pays `value`.
    function _forward(uint256 who, bytes memory callData, uint256 value) internal returns (bool, bytes memory) {
        ERC2771Forwarder.ForwardRequestData memory request = ERC2771Forwarder.ForwardRequestData({
            from: creators[who],
            to: address(factory),
            value: value,
            gas: 3_000_000,
            deadline: uint48(block.timestamp + 1 hours),
            data: callData,
            signature: ""
        });
        _sign(_keys[who], request, forwarder.nonces(creators[who]));
        vm.deal(RELAYER, value);
        vm.prank(RELAYER);
        return address(forwarder).call{value: value}(abi.encodeCall(ERC2771Forwarder.execute, (request)));
    }
}

contract TokenFactoryInvariantTest is Test {
    FactoryHandler internal handler;

    function setUp() public {
        handler = new FactoryHandler();
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), handler.actions()));
    }

    /// @dev Both checks below, in one campaign (each invariant_ function runs runs x depth calls of its own). The
    /// roles of what the factory created are checked at the end of every run: nothing in the run acts on them, and
    /// checking all of them after every call makes the campaign quadratic.
    function invariant_FeesAndFactoryRoles() public view {
        _feesAreExactAndKept();
        _factoryRolesStayWithTheTimelock();
    }

    /// @dev Every fee paid is in the factory or with the fee recipient, nowhere else.
    function _feesAreExactAndKept() internal view {
        (, address feeRecipient,) = handler.platform();
        assertEq(
            address(handler.factoryContract()).balance + feeRecipient.balance, handler.feesPaid(), "fees conserved"
        );
    }

    /// @dev What the factory created is administered by its creator alone: every role of the token, vault and sale
    /// is the creator's, none is the factory's, the timelock's, the forwarder's or a relayer's.
    function _createdRolesAreTheCreatorsOnly() internal view {
        TokenFactory factory = handler.factoryContract();
        (address timelock,, address forwarder) = handler.platform();
        address[5] memory others = [address(factory), timelock, forwarder, handler.RELAYER(), address(handler)];
        for (uint256 i = 0; i < handler.createdCount(); ++i) {
            FactoryHandler.Created memory c = handler.createdAt(i);
            bytes32[] memory roles = new bytes32[](3);
            (roles[0], roles[1], roles[2]) = (bytes32(0), c.token.MINTER_ROLE(), c.token.PAUSER_ROLE());
            _onlyCreator(IAccessControl(address(c.token)), roles, c.creator, others);
            assertEq(c.token.trustedForwarder(), forwarder);
            if (address(c.vault) != address(0)) {
                (roles[1], roles[2]) = (c.vault.ADMIN_ROLE(), c.vault.PAUSER_ROLE());
                _onlyCreator(IAccessControl(address(c.vault)), roles, c.creator, others);
            }
            if (address(c.sale) != address(0)) {
                (roles[1], roles[2]) = (c.sale.SALE_ADMIN_ROLE(), c.sale.SALE_ADMIN_ROLE());
                _onlyCreator(IAccessControl(address(c.sale)), roles, c.creator, others);
                assertEq(c.sale.config().proceedsRecipient, c.creator, "proceeds to the creator");
            }
        }
    }

    /// @dev The factory's own roles stay with the timelock (and the allow-listed creator): nobody took them over.
    function _factoryRolesStayWithTheTimelock() internal view {
        TokenFactory factory = handler.factoryContract();
        (address timelock,,) = handler.platform();
        bytes32[3] memory roles = [factory.DEFAULT_ADMIN_ROLE(), factory.FEE_MANAGER_ROLE(), factory.UPGRADER_ROLE()];
        for (uint256 r = 0; r < 3; ++r) {
            assertTrue(factory.hasRole(roles[r], timelock), "the timelock keeps its roles");
            assertFalse(factory.hasRole(roles[r], handler.STRANGER()));
            for (uint256 i = 0; i < 3; ++i) {
                assertFalse(factory.hasRole(roles[r], handler.creators(i)));
            }
        }
        assertEq(factory.latestVersion(), 1, "no implementation registered by anyone");
        assertLe(factory.creationFee(), factory.MAX_CREATION_FEE(), "the fee never exceeds its bound");
    }

    function afterInvariant() public view {
        _createdRolesAreTheCreatorsOnly();
        if (handler.calls() < MIN_CALLS) return;
        assertGt(handler.created(), 0, "no token created in the run");
    }

    function _onlyCreator(IAccessControl target, bytes32[] memory roles, address creator, address[5] memory others)
        internal
        view
    {
        for (uint256 r = 0; r < roles.length; ++r) {
            assertTrue(target.hasRole(roles[r], creator), "the creator holds every role");
            for (uint256 o = 0; o < others.length; ++o) {
                assertFalse(target.hasRole(roles[r], others[o]), "no role to the factory, timelock or relayer");
            }
        }
    }
}
